# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A typed CPF/CNPJ proves nothing (B1): attacks on an existing client's account."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.coworking_online_signup.models.coworking_signup_submission import (
    IDENTITY_KEEP_DAYS,
)

from .signup_common import PDF_BYTES, VALID_CNPJ, VALID_CPF, SignupMixin

ALPHANUMERIC_CNPJ = "12.ABC.345/01DE-35"


@tagged("post_install", "-at_install")
class TestSignupIdentity(SignupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signup_data()
        cls.url = f"/coworking/plan/{cls.plan.access_token}"
        # a client the operator registered by hand: no portal user, one address
        cls.victim = cls.env["res.partner"].create(
            {
                "name": "Vitória Cliente Antiga",
                "vat": VALID_CPF,
                "email": "vitoria@example.com",
                "street": "Rua Secreta, 42",
                "city": "Campinas",
            }
        )

    def _post(self, **overrides):
        page = self.url_open(self.url).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
        values = {
            "email": "intruso@example.com",
            "name": "Ivo Intruso",
            "password": "intruso-pass",
            "password_confirm": "intruso-pass",
            **overrides,
        }
        data = self.form(**values)
        data.update(csrf_token=csrf, submission_token=token)
        files = {
            f"document_{self.document.id}": ("id.pdf", PDF_BYTES, "application/pdf")
        }
        return self.url_open(
            self.url + "/signup", data=data, files=files, allow_redirects=False
        )

    def _submission(self, response):
        self.assertEqual(response.status_code, 303, response.text[:500])
        location = response.headers["Location"]
        token = urlparse(location).path.rsplit("/", 1)[-1]
        self.assertIn("/coworking/signup/", location, "no payment page")
        return self.env["coworking.signup.submission"].search([("token", "=", token)])

    def _client_records(self, client):
        return {
            "orders": self.env["sale.order"].search_count(
                [("partner_id", "child_of", client.id)]
            ),
            "contracts": self.env["sale.subscription"].search_count(
                [("partner_id", "child_of", client.id)]
            ),
            "users": self.env["res.users"]
            .with_context(active_test=False)
            .search_count([("partner_id", "child_of", client.id)]),
            "contacts": len(client.child_ids),
            "attachments": self.env["ir.attachment"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", client.id)]
            ),
            "values": client.read(["name", "email", "phone", "street", "city"]),
        }

    def _assert_nothing_of(self, client, before, response_text):
        self.assertEqual(self._client_records(client), before)
        for secret in ("Rua Secreta", "Campinas", "vitoria@example.com", "Antiga"):
            self.assertNotIn(secret, response_text)

    def test_typed_cpf_of_client_with_email_sends_link_to_email_on_file(self):
        before = self._client_records(self.victim)
        response = self._post()
        submission = self._submission(response)
        self.assertEqual(submission.state, "identity")
        self.assertEqual(submission.identity_reason, "email")
        page = self.url_open(response.headers["Location"])
        self.assertIn("confirmation link", page.text)
        self._assert_nothing_of(self.victim, before, page.text)
        # the link goes to the e-mail on file, never to the typed one
        mail = self.env["mail.mail"].search(
            [("model", "=", submission._name), ("res_id", "=", submission.id)]
        )
        self.assertEqual(mail.email_to, "vitoria@example.com")
        self.assertNotIn("intruso@example.com", mail.email_to)
        link = re.search(r'href="([^"]*/confirm\?key=[^"]+)"', mail.body_html).group(1)
        path = urlparse(link).path + "?" + urlparse(link).query
        # without the key, nobody may confirm
        self.assertEqual(
            self.url_open(
                f"/coworking/signup/{submission.token}/confirm",
                data={"csrf_token": self._csrf()},
            ).status_code,
            403,
        )
        self.assertEqual(self._client_records(self.victim), before)
        # the GET of the link only shows a page: nothing is created
        page = self.url_open(path)
        self.assertIn("Confirm the signup", page.text)
        self.assertEqual(self._client_records(self.victim), before)
        key = parse_qs(urlparse(link).query)["key"][0]
        confirmed = self.url_open(
            f"/coworking/signup/{submission.token}/confirm",
            data={"csrf_token": self._csrf(), "key": key},
            allow_redirects=False,
        )
        self.assertEqual(confirmed.status_code, 303)
        self.assertIn("/payment/pay", confirmed.headers["Location"])
        self.assertEqual(submission.state, "pending")
        self.assertEqual(submission.partner_id, self.victim)
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(submission.user_id.login, "intruso@example.com")
        self.assertTrue(submission.user_created)
        # the same link cannot be used twice
        self.assertFalse(submission._coworking_check_confirm_key(key))

    def _csrf(self):
        page = self.url_open(self.url).text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def test_typed_cpf_of_client_with_a_user_asks_to_log_in(self):
        user = new_test_user(
            self.env,
            login="vitoria",
            password="vitoria-pass",
            email="vitoria@example.com",
            groups="base.group_portal",
        )
        user.partner_id = self.victim
        before = self._client_records(self.victim)
        response = self._post()
        submission = self._submission(response)
        self.assertEqual(submission.identity_reason, "login")
        page = self.url_open(response.headers["Location"])
        self.assertIn("/web/login?redirect=", page.text)
        self.assertIn("/web/reset_password", page.text)
        self._assert_nothing_of(self.victim, before, page.text)
        # another logged-in user cannot confirm it
        new_test_user(self.env, login="other", password="other-pass-1")
        self.authenticate("other", "other-pass-1")
        confirm_url = f"/coworking/signup/{submission.token}/confirm"
        self.assertNotIn("Confirm the signup", self.url_open(confirm_url).text)
        self.assertEqual(
            self.url_open(confirm_url, data={"csrf_token": self._csrf()}).status_code,
            403,
        )
        # the client's own user confirms in one click
        self.authenticate("vitoria", "vitoria-pass")
        self.assertIn("Confirm the signup", self.url_open(confirm_url).text)
        response = self.url_open(
            confirm_url, data={"csrf_token": self._csrf()}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(submission.partner_id, self.victim)

    def test_client_without_email_waits_for_the_operator(self):
        self.victim.email = False
        before = self._client_records(self.victim)
        submission = self._submission(self._post())
        self.assertEqual(submission.identity_reason, "review")
        self.assertEqual(self._client_records(self.victim), before)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", submission._name), ("res_id", "=", submission.id)]
            )
        )
        # the operator keeps them separate: a new client with the same CPF
        submission.action_identity_separate()
        self.assertEqual(submission.state, "pending")
        self.assertNotEqual(submission.partner_id, self.victim)
        self.assertEqual(submission.partner_id.vat, VALID_CPF)
        self.assertEqual(self._client_records(self.victim), before)
        # documents received while waiting went to the new client
        self.assertTrue(
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", submission.partner_id.id),
                ]
            )
        )
        # the password typed works, though only its hash was kept
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(submission.user_id.login, "intruso@example.com")
        self.authenticate("intruso@example.com", "intruso-pass")

    def test_operator_attaches_to_the_existing_client(self):
        self.victim.email = False
        submission = self._submission(self._post())
        submission.action_identity_attach()
        self.assertEqual(submission.partner_id, self.victim)
        self.assertEqual(submission.contract_id.partner_id, self.victim)

    def test_typed_cnpj_of_a_company_adds_no_contact(self):
        company = self.env["res.partner"].create(
            {
                "name": "Empresa Antiga Ltda",
                "is_company": True,
                "vat": VALID_CNPJ,
                "email": "financeiro@antiga.example.com",
            }
        )
        self.env["res.partner"].create(
            {"name": "Sócia", "parent_id": company.id, "email": "socia@example.com"}
        )
        before = self._client_records(company)
        submission = self._submission(
            self._post(client_type="company", company_name="Minha", cnpj=VALID_CNPJ)
        )
        self.assertEqual(submission.state, "identity")
        self.assertEqual(self._client_records(company), before)
        self.assertFalse(
            self.env["res.users"].search([("login", "=", "intruso@example.com")])
        )

    def test_squatting_attacker_first_real_client_second(self):
        self.victim.vat = False  # the CPF is not registered yet
        attacker = self._post()
        self.assertIn("/payment/pay", attacker.headers["Location"])
        squatted = self.env["res.partner"].search(
            [("coworking_vat_digits", "=", "52998224725")]
        )
        self.assertEqual(len(squatted), 1)
        before = self._client_records(squatted)
        # the real owner of the CPF signs up: nothing of the attacker's account
        # is given to them, and the operator sees both
        self.authenticate(None, None)
        response = self._post(email="dona.real@example.com", name="Dona Real")
        submission = self._submission(response)
        self.assertEqual(submission.state, "identity")
        self.assertEqual(submission.identity_client_id, squatted)
        self.assertEqual(self._client_records(squatted), before)
        page = self.url_open(response.headers["Location"])
        self.assertNotIn("intruso@example.com", page.text)

    def test_paying_activates_only_the_user_this_signup_created(self):
        self.plan.benefits_start = "payment"
        company = self.env["res.partner"].create(
            {"name": "Acme Ltda", "is_company": True, "vat": VALID_CNPJ}
        )
        member = new_test_user(
            self.env, login="membro", password="membro-pass", groups="base.group_portal"
        )
        member.partner_id.parent_id = company
        former = new_test_user(
            self.env, login="ex-socio", groups="base.group_portal", email="ex@x.com"
        )
        former.partner_id.parent_id = company
        former.active = False
        self.authenticate("membro", "membro-pass")
        response = self._post(
            client_type="company",
            company_name="Acme Ltda",
            cnpj=VALID_CNPJ,
            email="novo.contato@example.com",
        )
        self.assertIn("/payment/pay", response.headers["Location"])
        submission = self.env["coworking.signup.submission"].search(
            [("partner_id", "=", company.id)]
        )
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertTrue(submission.user_created)
        self.assertFalse(submission.user_id.active)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=submission.invoice_id.ids
        ).create({})._create_payments()
        self.assertTrue(submission.user_id.active)
        self.assertFalse(former.active, "an archived user stays archived")

    def test_alphanumeric_cnpj(self):
        response = self._post(
            client_type="company", company_name="Nova Era", cnpj=ALPHANUMERIC_CNPJ
        )
        self.assertIn("/payment/pay", response.headers["Location"])
        client = self.env["res.partner"].search(
            [("coworking_vat_digits", "=", "12ABC34501DE35"), ("is_company", "=", True)]
        )
        self.assertEqual(client.vat, ALPHANUMERIC_CNPJ)
        # typed again in lower case without punctuation: the same client, held
        submission = self._submission(
            self._post(
                client_type="company",
                company_name="Nova Era",
                cnpj="12abc34501de35",
                email="outra@example.com",
            )
        )
        self.assertEqual(submission.identity_client_id, client)

    def test_identity_nobody_confirms_is_discarded_after_the_keep_days(self):
        self.victim.email = False  # waits for the operator, who never decides
        stale = self._submission(self._post())
        fresh = self._submission(
            self._post(email="outra@example.com", name="Outra Pessoa")
        )
        self.assertEqual((stale | fresh).mapped("state"), ["identity", "identity"])
        Submission = self.env["coworking.signup.submission"]
        documents = [("res_model", "=", Submission._name), ("res_id", "=", stale.id)]
        self.assertTrue(self.env["ir.attachment"].search_count(documents))
        stale.confirm_deadline = fields.Datetime.now() - timedelta(
            days=IDENTITY_KEEP_DAYS + 1
        )
        fresh.confirm_deadline = fields.Datetime.now() - timedelta(
            days=IDENTITY_KEEP_DAYS - 1
        )
        self.assertEqual(Submission._cron_discard_expired_identity(), stale)
        self.assertEqual(stale.state, "discarded")
        self.assertFalse(stale.sudo().held_values, "what was typed is deleted")
        self.assertFalse(stale.sudo().password_hash)
        self.assertFalse(self.env["ir.attachment"].search_count(documents))
        self.assertEqual(fresh.state, "identity", "still within the operator's time")
        self.assertTrue(fresh.sudo().held_values)
        self.assertEqual(self._client_records(self.victim)["contracts"], 0)
