# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from urllib.parse import urlparse

from odoo import Command, fields

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.tests.http_common import PaymentHttpCommon

EVP_KEY = "123e4567-e12b-12d1-a456-426655440000"


class PixBrCommon(AccountPaymentCommon, PaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.currency_brl = cls._prepare_currency("BRL")
        cls.currency = cls.currency_brl
        cls.payer = cls.env["res.partner"].create(
            {
                "name": "Maria da Silva",
                "email": "maria@example.com",
                "country_id": cls.env.ref("base.br").id,
            }
        )
        cls.partner = cls.payer
        cls.pix_provider = cls._prepare_provider(
            "pix_br",
            update_values={
                "pix_br_key": EVP_KEY,
                "pix_br_receiver_name": "Coworking Ação Ltda",
                "pix_br_receiver_city": "São Paulo",
                "journal_id": cls.company_data["default_journal_bank"].id,
                "is_published": True,
            },
        )
        cls.pix_provider.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == cls.pix_provider
        ).payment_account_id = cls.inbound_payment_method_line.payment_account_id
        cls.provider = cls.pix_provider
        cls.pix = cls.env.ref("payment.payment_method_pix")
        cls.pix.active = True
        cls.payment_method = cls.pix
        cls.payment_method_id = cls.pix.id
        cls.amount = 150.0
        cls.reference = "PIX-TEST-1"

    # --- helpers ---

    def _create_invoice(self, amount=None):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.payer.id,
                "currency_id": self.currency_brl.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Fixed desk monthly",
                            "quantity": 1,
                            "price_unit": amount or self.amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _start_invoice_payment(self, invoice):
        """Go through Odoo's invoice payment flow up to the redirect form."""
        processing_values = self._get_processing_values(
            tx_route=f"/invoice/transaction/{invoice.id}",
            access_token=invoice._portal_ensure_token(),
            provider_id=self.pix_provider.id,
            payment_method_id=self.pix.id,
            token_id=None,
            amount=invoice.amount_residual,
            flow="redirect",
            tokenization_requested=False,
            landing_route=invoice.get_portal_url(),
        )
        tx = self._get_tx(processing_values["reference"])
        form = self._extract_values_from_html_form(
            processing_values["redirect_form_html"]
        )
        return tx, form

    def _submit_redirect_form(self, form):
        response = self.url_open(form["action"], data=form["inputs"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, "/payment/status")
        return response

    def _pending_invoice_tx(self):
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        self._submit_redirect_form(form)
        self.assertEqual(tx.state, "pending")
        return invoice, tx
