# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from urllib.parse import urlparse

from odoo import Command, fields

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.tests.http_common import PaymentHttpCommon

from .fake_efi import CLIENT_ID, CLIENT_SECRET, FakeEfiPixServer, FakeEfiServer

TEST_CPF = "529.982.247-25"
TEST_CNPJ = "11.222.333/0001-81"


class EfiBrCommon(AccountPaymentCommon, PaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeEfiServer()
        cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        cls.fake_pix = FakeEfiPixServer()
        cls.fake_pix.start()
        cls.addClassCleanup(cls.fake_pix.stop)

        cls.currency_brl = cls._prepare_currency("BRL")
        cls.currency = cls.currency_brl
        cls.payer = cls.env["res.partner"].create(
            {
                "name": "Maria da Silva",
                "email": "maria@example.com",
                "phone": "+55 (11) 98765-4321",
                "vat": TEST_CPF,
                "country_id": cls.env.ref("base.br").id,
            }
        )
        cls.partner = cls.payer
        cls.efi = cls._prepare_provider(
            "efi_br",
            update_values={
                "efi_br_client_id": CLIENT_ID,
                "efi_br_client_secret": CLIENT_SECRET,
                "efi_br_certificate": base64.b64encode(cls.fake_pix.client_p12()),
                "efi_br_charges_url": cls.fake.url,
                "efi_br_pix_url": cls.fake_pix.url,
                # one trusted file for both fakes' authorities
                "efi_br_ca_bundle": (cls.fake.ca_pem + cls.fake_pix.ca_pem).decode(),
                "journal_id": cls.company_data["default_journal_bank"].id,
                "is_published": True,
            },
        )
        cls.efi.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == cls.efi
        ).payment_account_id = cls.inbound_payment_method_line.payment_account_id
        cls.provider = cls.efi
        cls.boleto = cls.env.ref("payment.payment_method_boleto")
        cls.boleto.active = True
        cls.payment_method = cls.boleto
        cls.payment_method_id = cls.boleto.id
        cls.amount = 150.0
        cls.reference = "EFI-TEST-1"

    def setUp(self):
        super().setUp()
        self.fake.reset()
        self.fake_pix.reset()
        self.efi._efi_br_clear_token_cache()

    # --- helpers ---

    def _create_invoice(self, amount=None, partner=None):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.payer).id,
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

    def _start_invoice_payment(self, invoice, provider=None, payment_method=None):
        """Go through Odoo's invoice payment flow up to the redirect form (a boleto
        with Efí unless told otherwise)."""
        processing_values = self._get_processing_values(
            tx_route=f"/invoice/transaction/{invoice.id}",
            access_token=invoice._portal_ensure_token(),
            provider_id=(provider or self.efi).id,
            payment_method_id=(payment_method or self.boleto).id,
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

    def _deliver_notifications(self):
        """Efí POSTs each queued token (form field `notification`) to its URL."""
        responses = []
        while self.fake.notifications:
            url, token = self.fake.notifications.pop(0)
            responses.append(
                self.url_open(urlparse(url).path, data={"notification": token})
            )
        return responses
