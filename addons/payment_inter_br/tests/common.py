# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import json
from unittest.mock import patch
from urllib.parse import urlparse

from odoo import Command, fields

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.tests.http_common import PaymentHttpCommon

from ..models import payment_provider as provider_module
from .fake_inter import CLIENT_ID, CLIENT_SECRET, FakeInterServer

# A valid CPF (check digits) for the tests.
TEST_CPF = "529.982.247-25"


class InterBrCommon(AccountPaymentCommon, PaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeInterServer()
        cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)

        cls.currency_brl = cls._prepare_currency("BRL")
        cls.currency = cls.currency_brl
        cls.country_brazil = cls.env.ref("base.br")
        cls.payer = cls.env["res.partner"].create(
            {
                "name": "Maria da Silva",
                "email": "maria@example.com",
                "phone": "+55 (11) 98765-4321",
                "vat": TEST_CPF,
                "street": "Rua das Flores, 123",
                "street2": "Centro",
                "city": "São Paulo",
                "state_id": cls.env.ref("base.state_br_sp").id,
                "zip": "01001-000",
                "country_id": cls.country_brazil.id,
            }
        )
        cls.partner = cls.payer
        cls.inter = cls._prepare_provider(
            "inter_br",
            update_values={
                "inter_br_client_id": CLIENT_ID,
                "inter_br_client_secret": CLIENT_SECRET,
                "inter_br_certificate_upload": base64.b64encode(
                    cls.fake.client_cert_pem
                ),
                "inter_br_certificate_key_upload": base64.b64encode(
                    cls.fake.client_key_pem
                ),
                "inter_br_api_url": cls.fake.url,
                "inter_br_ca_bundle": cls.fake.ca_pem.decode(),
                "inter_br_account_number": "12345678",
                "journal_id": cls.company_data["default_journal_bank"].id,
                "is_published": True,
            },
        )
        cls.inter.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == cls.inter
        ).payment_account_id = cls.inbound_payment_method_line.payment_account_id
        cls.provider = cls.inter
        cls.boleto = cls.env.ref("payment.payment_method_boleto")
        cls.pix = cls.env.ref("payment.payment_method_pix")
        (cls.boleto + cls.pix).active = True
        cls.payment_method = cls.boleto
        cls.payment_method_id = cls.boleto.id
        cls.amount = 150.0
        cls.reference = "INTER-TEST-1"

    def setUp(self):
        super().setUp()
        self.fake.reset()
        self.inter._inter_br_clear_token_cache()

    # --- helpers ---

    def _create_inter_tx(self, **values):
        return self._create_transaction("redirect", **values)

    def _issue(self, **values):
        """Issue a charge and let the bank register it (boleto and PIX known)."""
        tx = self._create_inter_tx(**values)
        tx._inter_br_issue_charge()
        self._register(tx)
        return tx

    def _register(self, tx):
        """The bank finishes registering the charge; Odoo reads it back."""
        self.fake.register(tx.provider_reference)
        tx.action_inter_br_refresh()

    def _next_minute(self):
        """Move the fake bank's clock to the next minute (per-minute rate limits)."""
        self.fake.advance(61)

    def _move_clock(self, seconds):
        """Move the clock of the token cache `seconds` ahead."""
        now = provider_module._now()
        return patch.object(provider_module, "_now", lambda: now + seconds)

    def _webhook_path(self, provider=None, secret=None):
        provider = provider or self.inter
        path = urlparse(provider._inter_br_get_webhook_url()).path
        if secret is not None:
            path = path.rsplit("/", 1)[0] + "/" + secret
        return path

    def _post_webhook(self, items, path=None):
        return self.url_open(
            path or self._webhook_path(),
            data=json.dumps(items),
            headers={"Content-Type": "application/json"},
        )

    def _deliver_webhooks(self):
        """Deliver to Odoo the webhooks fired by the fake server's `pagar`."""
        responses = []
        while self.fake.webhooks:
            responses.append(self._post_webhook(self.fake.webhooks.pop(0)))
        return responses

    def _create_invoice(self, partner=None, amount=None):
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

    # --- Odoo's invoice payment flow ---

    def _invoice_transaction_params(self, invoice, payment_method=None):
        return {
            "access_token": invoice._portal_ensure_token(),
            "provider_id": self.inter.id,
            "payment_method_id": (payment_method or self.boleto).id,
            "token_id": None,
            "amount": invoice.amount_residual,
            "flow": "redirect",
            "tokenization_requested": False,
            "landing_route": invoice.get_portal_url(),
        }

    def _start_invoice_payment(self, invoice, payment_method=None):
        """Go through Odoo's invoice payment flow up to the redirect form."""
        processing_values = self._get_processing_values(
            tx_route=f"/invoice/transaction/{invoice.id}",
            **self._invoice_transaction_params(invoice, payment_method),
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
