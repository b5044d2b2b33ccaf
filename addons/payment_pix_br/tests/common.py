# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_br_base.tests.common import BrPaymentCommonMixin

EVP_KEY = "123e4567-e12b-12d1-a456-426655440000"


class PixBrCommon(BrPaymentCommonMixin, AccountPaymentCommon, PaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._br_setup_payer()
        cls.pix_provider = cls._br_setup_provider(
            "pix_br",
            {
                "pix_br_key": EVP_KEY,
                "pix_br_receiver_name": "Coworking Ação Ltda",
                "pix_br_receiver_city": "São Paulo",
            },
        )
        (cls.pix,) = cls._br_setup_payment_methods("pix")
        cls.reference = "PIX-TEST-1"

    # --- helpers ---

    def _pending_invoice_tx(self):
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        self._submit_redirect_form(form)
        self.assertEqual(tx.state, "pending")
        return invoice, tx
