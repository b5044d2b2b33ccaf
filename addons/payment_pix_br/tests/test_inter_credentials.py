# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PixBrCommon


@tagged("post_install", "-at_install")
class TestInterCredentials(PixBrCommon):
    """Banco Inter as the PSP of dynamic PIX reuses the credentials the operator
    already gave to the Banco Inter provider, when that addon is installed."""

    def test_use_inter_credentials(self):
        Provider = self.env["payment.provider"]
        if "inter_br_client_id" not in Provider._fields:
            with self.assertRaises(UserError):
                self.pix_provider.action_pix_br_use_inter_credentials()
            return
        company = self.pix_provider.company_id
        inter = Provider.search(
            [("code", "=", "inter_br"), ("company_id", "=", company.id)], limit=1
        ) or Provider.sudo().search([("code", "=", "inter_br")], limit=1).copy(
            {"company_id": company.id}
        )
        self.assertEqual(inter.company_id, company)
        inter.write({"state": "disabled", "inter_br_client_id": False})
        # nothing to take yet: the operator is told, nothing changes
        with self.assertRaises(UserError):
            self.pix_provider.action_pix_br_use_inter_credentials()
        self.assertFalse(self.pix_provider.pix_br_client_id)
        cert = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nMIIB\n")
        key = base64.b64encode(b"-----BEGIN PRIVATE KEY-----\nMIIE\n")
        inter.write(
            {
                "inter_br_client_id": "inter-app-id",
                "inter_br_client_secret": "inter-app-secret",
                "inter_br_certificate": cert,
                "inter_br_certificate_key": key,
            }
        )
        self.pix_provider.pix_br_psp = "custom"
        self.pix_provider.action_pix_br_use_inter_credentials()
        self.assertEqual(self.pix_provider.pix_br_psp, "inter")
        self.assertEqual(self.pix_provider.pix_br_client_id, "inter-app-id")
        self.assertEqual(self.pix_provider.pix_br_client_secret, "inter-app-secret")
        self.assertEqual(
            base64.b64decode(self.pix_provider.pix_br_certificate),
            base64.b64decode(cert),
        )
        self.assertEqual(
            base64.b64decode(self.pix_provider.pix_br_certificate_key),
            base64.b64decode(key),
        )
