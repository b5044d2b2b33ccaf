# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SignOcaRequestSigner(models.Model):
    _inherit = "sign.oca.request.signer"

    def action_sign(self, items, access_token=False, latitude=False, longitude=False):
        """Override of `sign_oca`: a signed coworking contract keeps the signer, the
        date, the IP address and (when all signed) the signed PDF and its hash."""
        res = super().action_sign(
            items, access_token=access_token, latitude=latitude, longitude=longitude
        )
        contract = self.request_id._coworking_contract()
        if contract:
            contract._coworking_signer_signed(self)
        return res
