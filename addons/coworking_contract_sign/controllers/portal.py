# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from odoo.addons.coworking_online_signup.controllers.portal import CoworkingPortal
from odoo.addons.sign_oca.controllers.main import PortalSign


class CoworkingSignPortal(CoworkingPortal):
    """The contract's signature on the member's contract page: sign, refuse,
    download the signed PDF. Access is the contract's (record rules)."""

    def _prepare_coworking_contract_values(self, contract_sudo):
        values = super()._prepare_coworking_contract_values(contract_sudo)
        signer = contract_sudo._coworking_member_signer()
        values.update(
            {
                # only the member who signs gets the link that signs in their name
                "coworking_signer": signer
                if signer.partner_id == request.env.user.partner_id
                else signer.browse(),
            }
        )
        return values

    @http.route(
        "/my/coworking/<int:contract_id>/sign/refuse",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_coworking_sign_refuse(self, contract_id, **kwargs):
        contract_sudo = self._coworking_contract_sudo(contract_id)
        if not contract_sudo:
            return request.redirect("/my")
        signer = contract_sudo._coworking_member_signer()
        if signer and signer.partner_id == request.env.user.partner_id:
            contract_sudo._coworking_refuse_signature()
        return request.redirect(f"/my/coworking/{contract_sudo.id}")

    @http.route(
        "/my/coworking/<int:contract_id>/contract.pdf",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_coworking_contract_pdf(self, contract_id, **kwargs):
        """The signed contract, else the contract document."""
        contract_sudo = self._coworking_contract_sudo(contract_id)
        if not contract_sudo:
            return request.redirect("/my")
        attachment = (
            contract_sudo.coworking_signed_document_id
            or contract_sudo.coworking_contract_document_id
        )
        if not attachment:
            raise request.not_found()
        return (
            request.env["ir.binary"]
            ._get_stream_from(attachment.sudo())
            .get_response(as_attachment=True)
        )


class CoworkingPortalSign(PortalSign):
    @http.route()
    def portal_download_signed(self, request_id, **kw):
        """Override of `sign_oca`: its download checks nothing, any logged-in user
        could fetch any signed document by its id. Only a signer of the request (or
        a user who may read it) gets it."""
        sign_request = request.env["sign.oca.request"].sudo().browse(request_id)
        if not sign_request.exists():
            raise request.not_found()
        partner = request.env.user.partner_id
        is_signer = partner in sign_request.signer_ids.partner_id
        if not is_signer and not request.env.user._is_internal():
            raise request.not_found()
        if not is_signer:
            try:
                sign_request.with_user(request.env.user).check_access("read")
            except AccessError as error:
                raise request.not_found() from error
        return super().portal_download_signed(request_id, **kw)
