# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Test helpers shared by the Brazilian addons of this project."""

import json
import os
from urllib.parse import urlparse

import polib

from odoo import Command, fields
from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader

# A valid CPF (check digits) and CNPJ for the tests.
TEST_CPF = "529.982.247-25"
TEST_CNPJ = "11.222.333/0001-81"
# The CPF, phone and address (in São Paulo) a boleto can be issued with.
PAYER_ADDRESS = {
    "phone": "+55 (11) 98765-4321",
    "vat": TEST_CPF,
    "street": "Rua das Flores, 123",
    "street2": "Centro",
    "city": "São Paulo",
    "zip": "01001-000",
}


class PtBrTranslationsMixin:
    """Every term of ``MODULE`` has a pt_BR translation that Odoo loads.

    Odoo's test loader runs only the test methods a test module defines itself, so
    each addon's test calls ``_check_pt_br_translations``."""

    MODULE = None

    def _check_pt_br_translations(self):
        po_path = os.path.join(get_module_path(self.MODULE), "i18n", "pt_BR.po")
        entries = polib.pofile(po_path)
        translated = {entry.msgid for entry in entries if entry.msgstr}
        terms = {
            entry[4]
            for entry in TranslationModuleReader(self.env.cr, modules=[self.MODULE])
            if entry[0] == self.MODULE
        }
        missing = sorted(terms - translated)
        self.assertFalse(missing, f"untranslated in i18n/pt_BR.po: {missing}")
        # Odoo loads an entry only through its "#:" occurrences: one added by hand
        # without them would pass the check above and never reach a user
        orphans = [entry.msgid for entry in entries if not entry.occurrences]
        self.assertFalse(orphans, f"entries without occurrences: {orphans}")


# Clicks the copy button of a charge's page (static/src/js/copy_code.js) once its QR
# image has loaded; the button turns green when the code was copied.
COPY_BUTTON_CHECK = """
const button = document.querySelector(%(button)s);
const qr = document.querySelector(%(qr)s);
if (!button || !qr || !qr.naturalWidth) {
    console.error('the charge block is incomplete');
} else {
    button.click();
    setTimeout(() => {
        if (button.classList.contains('btn-success')) {
            console.log('test successful');
        } else {
            console.error('the copy button did nothing');
        }
    }, 500);
}
"""


class BrPaymentCommonMixin:
    """What the tests of every Brazilian provider set up alike: reais, a Brazilian
    payer, the provider paid into the company's bank journal, an open invoice and
    Odoo's invoice payment flow up to the provider's redirect form.

    Mixed before `account_payment`'s `AccountPaymentCommon` and `payment`'s
    `PaymentHttpCommon`, whose helpers it uses::

        class InterBrCommon(BrPaymentCommonMixin, AccountPaymentCommon,
                            PaymentHttpCommon):
            @classmethod
            def setUpClass(cls):
                super().setUpClass()
                cls.fake = FakeInterServer.start_for(cls)
                cls._br_setup_payer(address=True)
                cls.inter = cls._br_setup_provider("inter_br", {...})
                cls._br_setup_payment_methods("boleto", "pix")
    """

    @classmethod
    def _br_setup_payer(cls, address=False, **values):
        """Reais as the tests' currency and a Brazilian payer (`cls.payer`, also
        `cls.partner`): a name, an e-mail and the country, with `PAYER_ADDRESS` when
        ``address``, and ``values`` on top."""
        cls.currency_brl = cls._prepare_currency("BRL")
        cls.currency = cls.currency_brl
        if address:
            values = {
                **PAYER_ADDRESS,
                "state_id": cls.env.ref("base.state_br_sp").id,
                **values,
            }
        cls.payer = cls.env["res.partner"].create(
            {
                "name": "Maria da Silva",
                "email": "maria@example.com",
                "country_id": cls.env.ref("base.br").id,
                **values,
            }
        )
        cls.partner = cls.payer
        return cls.payer

    @classmethod
    def _br_setup_provider(cls, code, values):
        """The provider of ``code`` (`cls.provider`) with ``values``, published and
        paid into the company's bank journal, whose payments post to the account of
        the journal's inbound payment method."""
        provider = cls._prepare_provider(
            code,
            update_values={
                "journal_id": cls.company_data["default_journal_bank"].id,
                "is_published": True,
                **values,
            },
        )
        provider.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == provider
        ).payment_account_id = cls.inbound_payment_method_line.payment_account_id
        cls.provider = provider
        return provider

    @classmethod
    def _br_setup_payment_methods(cls, *codes, amount=150.0):
        """Activate Odoo's payment methods ``codes`` (boleto, pix, card); the first
        is the tests' `cls.payment_method`, for `cls.amount`."""
        methods = [cls.env.ref(f"payment.payment_method_{code}") for code in codes]
        for method in methods:
            method.active = True
        cls.payment_method = methods[0]
        cls.payment_method_id = methods[0].id
        cls.amount = amount
        return methods

    def _create_invoice(self, partner=None, amount=None):
        """A posted customer invoice in reais of ``amount`` (`self.amount`)."""
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

    def _invoice_transaction_params(self, invoice, provider=None, payment_method=None):
        """The parameters the portal posts to pay ``invoice`` (redirect flow)."""
        return {
            "access_token": invoice._portal_ensure_token(),
            "provider_id": (provider or self.provider).id,
            "payment_method_id": (payment_method or self.payment_method).id,
            "token_id": None,
            "amount": invoice.amount_residual,
            "flow": "redirect",
            "tokenization_requested": False,
            "landing_route": invoice.get_portal_url(),
        }

    def _start_invoice_payment(self, invoice, provider=None, payment_method=None):
        """Go through Odoo's invoice payment flow up to the redirect form.

        :return: The transaction and the form's values (`action`, `inputs`).
        """
        processing_values = self._get_processing_values(
            tx_route=f"/invoice/transaction/{invoice.id}",
            **self._invoice_transaction_params(invoice, provider, payment_method),
        )
        tx = self._get_tx(processing_values["reference"])
        form = self._extract_values_from_html_form(
            processing_values["redirect_form_html"]
        )
        return tx, form

    def _submit_redirect_form(self, form):
        """Post the redirect form as the browser does; it lands on the status page."""
        response = self.url_open(form["action"], data=form["inputs"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, "/payment/status")
        return response

    def _br_check_copy_button(self, url, button, qr, block):
        """Open ``url`` in a real browser: its assets load without error, the QR
        image (CSS selector ``qr``) shows and the copy button (``button``) copies the
        code once the copy widget made the ``block`` ready."""
        self.browser_js(
            url,
            COPY_BUTTON_CHECK % {"button": json.dumps(button), "qr": json.dumps(qr)},
            ready=f"!!document.querySelector({json.dumps(block)})",
        )
