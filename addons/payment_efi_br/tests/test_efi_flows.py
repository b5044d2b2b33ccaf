# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment_br_base.tests.common import TEST_CNPJ

from ..models import payment_provider as provider_module
from .common import EfiBrCommon

PROVIDER_LOGGER = "odoo.addons.payment_efi_br.models.payment_provider"
TX_LOGGER = "odoo.addons.payment_efi_br.models.payment_transaction"


@tagged("post_install", "-at_install")
class TestEfiFlows(EfiBrCommon):
    def _pending_tx(self, partner=None):
        invoice = self._create_invoice(partner=partner)
        tx, form = self._start_invoice_payment(invoice)
        self.status_page = self._submit_redirect_form(form)
        return invoice, tx

    def test_boleto_with_pix_then_paid_by_notification(self):
        invoice, tx = self._pending_tx()
        self.assertEqual(tx.state, "pending")
        charge = self.fake.charges[tx.provider_reference]
        self.assertEqual(charge["total"], 15000)
        self.assertEqual(charge["custom_id"], tx.reference)
        self.assertEqual(charge["customer"]["cpf"], "52998224725")
        self.assertEqual(charge["customer"]["phone_number"], "11987654321")
        self.assertNotIn("address", charge["customer"], "optional at Efí, not given")
        self.assertEqual(tx.efi_br_barcode, charge["barcode"])
        self.assertEqual(tx.efi_br_pdf_url, charge["pdf"]["charge"])
        self.assertEqual(tx.efi_br_pix_code, charge["pix"]["qrcode"])
        self.assertTrue(tx.efi_br_pix_qr_image.startswith("data:image/"))
        # the status page shows the digitable line, the PDF link and the PIX code
        html = self.status_page.text
        self.assertIn(charge["barcode"], html)
        self.assertIn(charge["pdf"]["charge"], html)
        self.assertIn(charge["pix"]["qrcode"], html)

        self.fake.pay(tx.provider_reference)
        self.assertEqual([r.status_code for r in self._deliver_notifications()], [200])
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.efi_br_status, "paid")
        tx._post_process()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_company_payer_and_full_address(self):
        company = self.env["res.partner"].create(
            {
                "name": "Coworking Cliente Ltda",
                "is_company": True,
                "vat": TEST_CNPJ,
                "street": "Avenida Paulista, 1000",
                "street2": "Bela Vista",
                "city": "São Paulo",
                "state_id": self.env.ref("base.state_br_sp").id,
                "zip": "01310-100",
                "country_id": self.env.ref("base.br").id,
            }
        )
        _invoice, tx = self._pending_tx(partner=company)
        customer = self.fake.charges[tx.provider_reference]["customer"]
        self.assertEqual(
            customer["juridical_person"],
            {"corporate_name": "Coworking Cliente Ltda", "cnpj": "11222333000181"},
        )
        self.assertNotIn("cpf", customer)
        self.assertEqual(customer["address"]["zipcode"], "01310100")
        self.assertEqual(customer["address"]["number"], "1000")
        self.assertEqual(customer["address"]["state"], "SP")

    def test_payer_data_checked_before_any_request(self):
        self.payer.vat = "111.111.111-12"
        tx = self._create_transaction("redirect", reference="EFI-CPF")
        with self.assertRaisesRegex(ValidationError, "CPF or CNPJ"):
            tx._efi_br_issue_charge()
        self.payer.write({"vat": "529.982.247-25", "name": "Maria"})
        with self.assertRaisesRegex(ValidationError, "full name"):
            tx._efi_br_issue_charge()
        self.assertFalse(self.fake.requests, "no request reached Efí")
        self.env["res.lang"]._activate_lang("pt_BR")
        with self.assertRaisesRegex(ValidationError, "nome completo"):
            tx.with_context(lang="pt_BR")._efi_br_issue_charge()

    def test_expired_token_is_renewed_once(self):
        _invoice, tx = self._pending_tx()
        self.assertEqual(self.fake.count("POST", "/v1/authorize"), 1)
        self.fake.expire_tokens()  # Efí's token lives 10 minutes; ours is cached
        self.fake.pay(tx.provider_reference)
        self.assertEqual([r.status_code for r in self._deliver_notifications()], [200])
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.fake.count("POST", "/v1/authorize"), 2)

    def test_refused_charge_sets_the_transaction_in_error(self):
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        tx_class = type(tx)
        prepare = tx_class._efi_br_prepare_payload

        def in_reais(self_):
            payload = prepare(self_)
            payload["items"][0]["value"] = 150.0  # reais, not integer centavos
            return payload

        with (
            patch.object(tx_class, "_efi_br_prepare_payload", in_reais),
            mute_logger(PROVIDER_LOGGER),
        ):
            self._submit_redirect_form(form)
        self.assertEqual(tx.state, "error")
        self.assertIn("/items/0/value", tx.state_message)
        self.assertFalse(self.fake.charges)

    def test_replayed_notification_changes_nothing(self):
        _invoice, tx = self._pending_tx()
        self.fake.unpay(tx.provider_reference)  # past due, written off later
        self.fake.pay(tx.provider_reference)  # paid late, before the write-off
        (_url, old), (_url, new) = self.fake.notifications
        self.fake.notifications[:] = [(_url, new)]
        self.assertEqual([r.status_code for r in self._deliver_notifications()], [200])
        self.assertEqual(tx.state, "done", "a late payment is a payment")
        self.assertEqual(tx.efi_br_status, "paid")
        last_event = tx.efi_br_last_event_id
        # the older token comes again (a replay, or out of order): nothing changes
        for token in (old, new):
            self.fake.notifications.append((_url, token))
            self.assertEqual(
                [r.status_code for r in self._deliver_notifications()], [200]
            )
            self.assertEqual(tx.state, "done")
            self.assertEqual(tx.efi_br_status, "paid")
            self.assertEqual(tx.efi_br_last_event_id, last_event)

    def test_unknown_token_and_wrong_secret_change_nothing(self):
        _invoice, tx = self._pending_tx()
        path = self.efi._efi_br_get_notification_url()
        path = path[path.index("/payment") :]
        with mute_logger(PROVIDER_LOGGER):
            response = self.url_open(path, data={"notification": "not-a-token"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "pending")
        with mute_logger("odoo.addons.payment_efi_br.controllers.main"):
            response = self.url_open(
                path.rsplit("/", 1)[0] + "/wrong", data={"notification": "x"}
            )
        self.assertEqual(response.status_code, 403)

    def test_notification_while_efi_is_down_is_asked_again(self):
        _invoice, tx = self._pending_tx()
        self.fake.pay(tx.provider_reference)
        self.fake.fail_next.append((503, {"error": "unavailable"}))
        with mute_logger(PROVIDER_LOGGER):
            responses = self._deliver_notifications()
        self.assertEqual(responses[0].status_code, 503)  # Efí sends it again
        self.assertEqual(tx.state, "pending")

    def test_down_server_keeps_the_signup_then_issues_once(self):
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        url = self.efi.efi_br_charges_url
        self.efi.efi_br_charges_url = "https://127.0.0.1:9"  # nothing listens
        with mute_logger(PROVIDER_LOGGER, TX_LOGGER):
            self._submit_redirect_form(form)
        self.assertEqual(tx.state, "draft")
        self.assertTrue(tx.efi_br_retry_needed)
        self.assertIn("try again", tx.state_message)
        self.efi.efi_br_charges_url = url
        self.env["payment.transaction"]._cron_efi_br_retry()
        self.assertEqual(tx.state, "pending")
        self.assertEqual(len(self.fake.charges), 1)
        self.assertFalse(tx.efi_br_retry_needed)

    def test_lost_answer_never_makes_a_second_charge(self):
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        self.fake.tokens.clear()
        with mute_logger(PROVIDER_LOGGER, TX_LOGGER):
            # the token call is answered, the charge is made but its answer is lost
            self.efi._efi_br_get_access_token()
            self.fake.drop_next = True
            self._submit_redirect_form(form)
        self.assertEqual(len(self.fake.charges), 1)
        self.assertEqual(tx.state, "draft")
        self.assertTrue(tx.efi_br_retry_needed)
        tx.action_efi_br_retry()
        self.assertEqual(len(self.fake.charges), 1, "the charge made is adopted")
        self.assertEqual(tx.state, "pending")
        self.assertEqual(tx.provider_reference, next(iter(self.fake.charges)))
        self.assertTrue(tx.efi_br_barcode)
        self.assertEqual(self.fake.count("POST", "/v1/charge/one-step"), 1)

    def test_under_the_minimum_is_not_offered(self):
        self.assertFalse(self.efi._br_amount_allowed(4.99, self.currency_brl))
        self.assertTrue(self.efi._br_amount_allowed(5.0, self.currency_brl))
        self.assertFalse(self.efi._br_requires_payer_address())
        self.assertIn("efi_br", self.env["payment.provider"]._get_br_provider_codes())

    def test_wrong_credentials_keep_the_transaction_for_a_retry(self):
        self.efi.efi_br_client_secret = "wrong"
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        with mute_logger(PROVIDER_LOGGER, TX_LOGGER):
            self._submit_redirect_form(form)
        self.assertEqual(tx.state, "draft")
        self.assertTrue(tx.efi_br_retry_needed)
        self.assertFalse(self.fake.charges)

    def test_pkcs12_must_be_readable(self):
        with self.assertRaises(ValidationError):
            self.efi.efi_br_certificate = b"bm90IGEgcDEy"
        self.assertIn("valid until", self.efi.efi_br_certificate_info)
        self.assertTrue(provider_module._token_cache is not None)
