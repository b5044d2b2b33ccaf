# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class CoworkingPortalBilling(CustomerPortal):
    """The member asks to cancel their contract (F13); it ends after the plan's
    notice period. Access is checked with the member's own rights."""

    @http.route(
        "/my/coworking/<int:contract_id>/cancel",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_coworking_request_cancellation(self, contract_id, **kwargs):
        try:
            contract_sudo = self._document_check_access(
                "sale.subscription", contract_id
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if contract_sudo.coworking_plan_id and contract_sudo.in_progress:
            contract_sudo.action_coworking_request_cancellation()
        return request.redirect(f"/my/coworking/{contract_id}")
