# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from .portal import CoworkingPortal


class CoworkingPortalBilling(CoworkingPortal):
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
        contract_sudo = self._coworking_contract_sudo(contract_id)
        if contract_sudo and contract_sudo.in_progress:
            contract_sudo.action_coworking_request_cancellation()
        return request.redirect(f"/my/coworking/{contract_id}")
