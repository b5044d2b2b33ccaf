# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines: the signup service's whole contract (records, idempotence,
# finishing job, options) on one shared setup.
from datetime import date
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .signup_common import (
    OTHER_CPF,
    PNG_BYTES,
    THIRD_CPF,
    VALID_CNPJ,
    VALID_CPF,
    SignupMixin,
)


@tagged("post_install", "-at_install")
class TestSignupService(SignupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signup_data()
        cls.Signup = cls.env["coworking.signup"]

    def _signup(self, form=None, files=None, ip="203.0.113.7", finish=True, user=None):
        """Sign up (``user``: logged in as); with ``finish``, also run the job that
        issues the first invoice and sends the e-mails, as the cron worker does
        moments later."""
        form = form or self.form()
        values = self.Signup._prepare_form_values(form)
        files = self.files() if files is None else files
        errors = self.Signup._validate_signup(
            self.plan, values, files, current_user=user
        )
        self.assertFalse(errors)
        sub = self.Signup._create_signup(
            self.plan, values, files, ip_address=ip, current_user=user
        )
        if finish:
            self.env["coworking.signup.submission"]._cron_finish_pending()
            self.assertEqual(sub.state, "done")
        return sub

    def _errors(self, form, files=None):
        values = self.Signup._prepare_form_values(form)
        return self.Signup._validate_signup(
            self.plan, values, self.files() if files is None else files
        )

    def _counts(self):
        return {
            model: self.env[model].sudo().search_count([])
            for model in (
                "res.partner",
                "sale.order",
                "sale.subscription",
                "account.move",
                "res.users",
                "coworking.signup.submission",
                "ir.attachment",
            )
        }

    @freeze_time("2026-02-07 15:00:00")
    def test_individual_signup_creates_everything(self):
        sub = self._signup()
        client, contract, invoice = sub.partner_id, sub.contract_id, sub.invoice_id
        # client
        self.assertEqual(client.name, "Maria Silva")
        self.assertFalse(client.is_company)
        self.assertEqual(client.vat, "529.982.247-25")
        self.assertEqual(client.zip, "01310-100")
        self.assertEqual(client.street, "Avenida Paulista, 1000")
        self.assertEqual(client.state_id.code, "SP")
        self.assertEqual(sub.person_id, client)
        # sale: plan + setup fee, at the plan's prices, confirmed
        order = sub.sale_order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(sorted(order.order_line.mapped("price_unit")), [150.0, 800.0])
        # contract (F10, F11, F12, F14, B5)
        self.assertEqual(contract.coworking_signup_origin, "online")
        self.assertEqual(contract.coworking_plan_id, self.plan)
        self.assertEqual(contract.coworking_unit_id, self.unit)
        self.assertEqual(contract.date_start, date(2026, 2, 7))
        self.assertEqual(contract.coworking_due_day, 7)
        self.assertEqual(contract.recurring_next_date, date(2026, 3, 7))
        self.assertEqual(contract.coworking_deposit_amount, 0.0)
        self.assertEqual(contract.coworking_terms_version, "2026-01")
        self.assertTrue(contract.coworking_terms_accepted_on)
        self.assertTrue(contract.in_progress)
        # quotas for the first period (F5)
        self.assertEqual(len(contract.coworking_quota_ids), 2)
        self.assertEqual(set(contract.coworking_quota_ids.mapped("state")), {"active"})
        self.assertEqual(
            contract.coworking_quota_ids.mapped("period_end"),
            [date(2026, 3, 6), date(2026, 3, 6)],
        )
        # first invoice: whole month + setup fee, no pro-rata (F8, F13)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.subscription_id, contract)
        self.assertAlmostEqual(invoice.amount_untaxed, 950.0)
        self.assertEqual(invoice.invoice_date, date(2026, 2, 7))
        # document on the client (F7)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", client.id)]
        )
        self.assertEqual(len(attachments), 1)
        self.assertEqual(attachments.mimetype, "application/pdf")
        # portal user with the chosen password (F6)
        user = sub.user_id
        self.assertTrue(user.active)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.login, "maria.silva@example.com")
        user.with_user(user)._check_credentials(
            {"type": "password", "password": "s3cret-pass"}, {"interactive": False}
        )
        # funnel (B8)
        self.assertEqual(self.plan.signup_count, 1)

    def test_mails_go_through_the_queue_and_are_logged(self):
        sub = self._signup()
        contract, person = sub.contract_id, sub.person_id
        unit_mail = self.env["mail.mail"].search(
            [("email_to", "=", "desk@example.com,boss@example.com")]
        )
        self.assertEqual(len(unit_mail), 1, "the unit is notified (F4)")
        self.assertEqual(unit_mail.state, "outgoing")
        self.assertIn("Maria Silva", unit_mail.body_html)
        welcome = contract.message_ids.filtered(lambda m: person in m.partner_ids)
        self.assertEqual(len(welcome), 1, "welcome logged on the contract (F15)")
        self.assertIn("Welcome", welcome.subject)
        queued = self.env["mail.mail"].search([("mail_message_id", "=", welcome.id)])
        self.assertTrue(queued)
        self.assertEqual(set(queued.mapped("state")), {"outgoing"})
        note = sub.partner_id.message_ids.filtered(
            lambda m: contract.name in (m.body or "")
        )
        self.assertTrue(note, "and on the client's chatter")

    def test_company_signup_with_contact_person(self):
        sub = self._signup(
            self.form(client_type="company", company_name="Acme Ltda", cnpj=VALID_CNPJ)
        )
        client, person = sub.partner_id, sub.person_id
        self.assertTrue(client.is_company)
        self.assertEqual(client.vat, "11.222.333/0001-81")
        self.assertEqual(person.parent_id, client)
        self.assertEqual(person.name, "Maria Silva")
        self.assertEqual(sub.contract_id.partner_id, client)
        self.assertEqual(sub.user_id.partner_id, person)

    def test_existing_client_is_reused_when_logged_in(self):
        first = self._signup()
        second = self._signup(
            self.form(
                token="two",
                email="maria.other@example.com",
                password="another-pass",
                password_confirm="another-pass",
            ),
            user=first.user_id,
        )
        self.assertEqual(first.partner_id, second.partner_id)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("coworking_vat_digits", "=", "52998224725")]
            ),
            1,
        )
        self.assertNotEqual(first.contract_id, second.contract_id)
        company = self._signup(
            self.form(
                token="c1",
                client_type="company",
                company_name="Acme",
                cnpj=VALID_CNPJ,
                email="a1@example.com",
            )
        )
        again = self._signup(
            self.form(
                token="c2",
                client_type="company",
                company_name="Acme SA",
                cnpj="11222333000181",
                email="a2@example.com",
            ),
            user=company.user_id,
        )
        self.assertEqual(company.partner_id, again.partner_id)
        self.assertEqual(len(again.partner_id.child_ids), 2)

    def test_email_of_existing_user_asks_to_log_in(self):
        self._new_user("someone", "taken@example.com")
        before = self._counts()
        errors = self._errors(self.form(email="Taken@Example.com"))
        self.assertIn("email", errors)
        self.assertEqual(errors.get("login_required"), "1")
        self.assertEqual(self._counts(), before)

    def test_all_errors_at_once(self):
        errors = self._errors(
            self.form(
                cpf="529.982.247-26",
                email="nope",
                phone="12",
                name="",
                password="short",
                password_confirm="short",
                terms_accepted="",
                provider_id="999999",
            ),
            files={},
        )
        for key in (
            "cpf",
            "email",
            "phone",
            "name",
            "password",
            "terms_accepted",
            "provider_id",
            f"document_{self.document.id}",
        ):
            self.assertIn(key, errors)

    def test_invalid_cnpj_and_kind_not_allowed(self):
        errors = self._errors(
            self.form(
                client_type="company", company_name="Acme", cnpj="11.222.333/0001-80"
            )
        )
        self.assertIn("cnpj", errors)
        self.plan.allow_company = False
        errors = self._errors(
            self.form(client_type="company", company_name="Acme", cnpj=VALID_CNPJ)
        )
        self.assertIn("client_type", errors)

    def test_address_required_for_boleto_provider(self):
        no_address = self.form(
            zip="", street="", street_number="", district="", city="", state_code=""
        )
        self.assertFalse(self._errors(no_address))
        with self.boleto_address():
            errors = self._errors(no_address)
            for key in (
                "zip",
                "street",
                "street_number",
                "district",
                "city",
                "state_code",
                "address",
            ):
                self.assertIn(key, errors)
            company = dict(
                no_address, client_type="company", company_name="Acme", cnpj=VALID_CNPJ
            )
            self.assertIn("zip", self._errors(company))
            self.assertIn("zip", self._errors(dict(self.form(), zip="1234")))
            self.assertFalse(self._errors(self.form()))

    def test_files_checked_by_content_and_size(self):
        key = f"document_{self.document.id}"
        self.assertFalse(
            self._errors(self.form(), files=self.files(PNG_BYTES, "id.png"))
        )
        disguised = self._errors(
            self.form(), files=self.files(b"MZ\x90\x00 not a pdf", "id.pdf")
        )
        self.assertIn(key, disguised)
        oversize = self._errors(
            self.form(), files=self.files(b"%PDF-1.4\n" + b"0" * 20000, "big.pdf")
        )
        self.assertIn("too large", oversize[key])

    def test_storage_full_keeps_the_signup_without_the_documents(self):
        """F7, as the seed says: the signup goes on, the documents are not attached,
        the visitor is told to send them later and the unit which are missing."""
        self.company.coworking_storage_limit_mb = 0
        self.assertFalse(self._errors(self.form()))
        sub = self._signup()
        self.assertTrue(sub.contract_id)
        self.assertEqual(sub.documents_missing, "ID document")
        self.assertFalse(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", sub.partner_id.id)]
            )
        )
        unit_mail = self.env["mail.mail"].search(
            [("email_to", "like", "desk@example.com")], order="id desc", limit=1
        )
        self.assertIn("must be asked for", unit_mail.body_html)
        self.assertIn("ID document", unit_mail.body_html)
        # with room again, documents are kept
        self.company.coworking_storage_unlimited = True
        again = self._signup(self.form(token="room", cpf=OTHER_CPF, email="r@x.com"))
        self.assertFalse(again.documents_missing)
        self.assertTrue(
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", again.partner_id.id),
                ]
            )
        )

    def test_form_options_per_plan(self):
        # phone hidden: not asked, not kept
        self.plan.ask_phone = "hidden"
        self.assertFalse(self._errors(self.form(phone="")))
        sub = self._signup(self.form(token="nophone", phone="(11) 91234-5678"))
        self.assertFalse(sub.partner_id.phone)
        # phone optional: empty is fine, a wrong one is not
        self.plan.ask_phone = "optional"
        other = {"email": "outra.pessoa@example.com", "cpf": OTHER_CPF}
        self.assertFalse(self._errors(self.form(token="p2", phone="", **other)))
        errors = self._errors(self.form(token="p3", phone="12", **other))
        self.assertIn("phone", errors)
        # address required by the plan
        self.plan.ask_address = "required"
        errors = self._errors(
            self.form(token="a1", zip="", street="", city="", **other)
        )
        self.assertIn("zip", errors)
        # address hidden: what is typed is not kept...
        self.plan.ask_address = "hidden"
        values = self.Signup._prepare_form_values(self.form(token="a2", **other))
        self.assertFalse(self.Signup._validate_signup(self.plan, values, self.files()))
        self.assertFalse(values["street"])
        # ... unless the chosen payment method needs it (F16)
        with self.boleto_address():
            errors = self._errors(self.form(token="a3", zip="", street="", **other))
            self.assertIn("address", errors)

    def test_payment_methods_per_plan(self):
        second = self.provider.copy({"name": "Segundo banco", "state": "test"})
        Signup = self.Signup
        self.assertEqual(
            Signup._get_signup_providers(self.plan), self.provider | second
        )
        self.plan.payment_ids = [
            (0, 0, {"provider_id": second.id, "sequence": 1}),
            (0, 0, {"provider_id": self.provider.id, "sequence": 2}),
        ]
        self.assertEqual(
            Signup._get_signup_providers(self.plan).ids, [second.id, self.provider.id]
        )
        self.plan.payment_ids[1].unlink()
        self.assertEqual(Signup._get_signup_providers(self.plan), second)
        # a provider the plan does not offer is refused
        errors = self._errors(self.form(provider_id=str(self.provider.id)))
        self.assertIn("provider_id", errors)
        # a disabled one disappears from the plan's form
        second.state = "disabled"
        self.assertFalse(Signup._get_signup_providers(self.plan))

    def test_prices_come_from_the_plan(self):
        sub = self._signup(
            self.form(recurring_price="1", setup_fee="0", price_unit="1", amount="1")
        )
        self.assertAlmostEqual(sub.invoice_id.amount_untaxed, 950.0)
        self.assertEqual(sub.contract_id.sale_subscription_line_ids.price_unit, 800.0)

    @freeze_time("2026-02-07 15:00:00")
    def test_invoice_and_mails_follow_in_the_finishing_job(self):
        cron = self.env.ref("coworking_online_signup.ir_cron_finish_signups")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        sub = self._signup(finish=False)
        # what the visitor needs to pay exists at once (F5)
        self.assertEqual(sub.state, "pending")
        self.assertEqual(sub.sale_order_id.state, "sale")
        self.assertAlmostEqual(sub.sale_order_id.amount_untaxed, 950.0)
        self.assertEqual(len(sub.contract_id.coworking_quota_ids), 2)
        self.assertEqual(sub.contract_id.recurring_next_date, date(2026, 3, 7))
        self.assertFalse(sub.invoice_id)
        unit_mails = [("email_to", "=", "desk@example.com,boss@example.com")]
        self.assertFalse(self.env["mail.mail"].search(unit_mails))
        # ... and the finishing job is asked to run now
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers + 1,
        )
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(sub.state, "done")
        self.assertEqual(sub.invoice_id.state, "posted")
        self.assertEqual(sub.invoice_id.invoice_date, date(2026, 2, 7))
        self.assertEqual(sub.sale_order_id.invoice_ids, sub.invoice_id)
        self.assertEqual(len(self.env["mail.mail"].search(unit_mails)), 1)
        # running it again issues and sends nothing more
        before = (self.env["account.move"].search_count([]), self._mail_count())
        self.env["coworking.signup.submission"]._cron_finish_pending()
        sub.action_finish()
        sub._coworking_finish()
        self.assertEqual(
            (self.env["account.move"].search_count([]), self._mail_count()), before
        )

    def _mail_count(self):
        return self.env["mail.mail"].search_count([])

    def test_a_failing_signup_does_not_hold_the_others_back(self):
        first = self._signup(finish=False)
        second = self._signup(
            self.form(token="two", cpf=OTHER_CPF, email="joao@example.com"),
            finish=False,
        )
        SaleOrder = type(self.env["sale.order"])
        original = SaleOrder._coworking_prepare_first_invoice_values

        def fail_first(order, contract):
            if order == first.sale_order_id:
                raise ValueError("No receivable account")
            return original(order, contract)

        logger = (
            "odoo.addons.coworking_online_signup.models.coworking_signup_submission"
        )
        with (
            patch.object(
                SaleOrder, "_coworking_prepare_first_invoice_values", fail_first
            ),
            self.assertLogs(logger, level="ERROR") as logs,
        ):
            self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertIn(f"Could not finish online signup {first.id}", logs.output[0])
        self.assertEqual(first.state, "pending")
        self.assertIn("No receivable account", first.finish_error)
        self.assertFalse(first.invoice_id)
        self.assertEqual(second.state, "done")
        self.assertTrue(second.invoice_id)
        # the job skips it from now on; the operator finishes it once fixed
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(first.state, "pending")
        first.action_finish()
        self.assertEqual(first.state, "done")
        self.assertFalse(first.finish_error)
        self.assertEqual(first.invoice_id.state, "posted")

    def test_a_burst_of_signups_is_finished_together(self):
        """Signups waiting together get their users and first invoices made in one
        go (issue 16): each still gets its own user, password, invoice and
        amount, and a held plan's user stays dormant."""
        self.plan.benefits_start = "payment"
        people = [
            ("one", VALID_CPF, "maria.silva@example.com", "s3cret-pass"),
            ("two", OTHER_CPF, "joao@example.com", "other-pass-2"),
            ("three", THIRD_CPF, "ana@example.com", "third-pass-3"),
        ]
        subs = self.env["coworking.signup.submission"]
        for token, cpf, email, password in people:
            subs |= self._signup(
                self.form(
                    token=token,
                    cpf=cpf,
                    email=email,
                    name=email.split("@")[0],
                    password=password,
                    password_confirm=password,
                ),
                finish=False,
            )
        subs[1].contract_id.coworking_benefits_state = "active"  # paid meanwhile
        hashes = subs.mapped("password_hash")
        Users = self.env["res.users"].with_context(active_test=False)
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(subs.mapped("state"), ["done"] * 3)
        self.assertEqual(len(subs.user_id), 3)
        self.assertEqual(len(subs.invoice_id), 3)
        for sub, (_token, _cpf, email, _password), hashed in zip(
            subs, people, hashes, strict=True
        ):
            user, invoice = sub.user_id, sub.invoice_id
            self.assertEqual(user.login, email)
            self.assertEqual(user.partner_id, sub.person_id)
            self.assertTrue(user.share)
            self.assertEqual(Users.search([("login", "=", email)]), user)
            self.env.cr.execute(
                "SELECT password FROM res_users WHERE id = %s", [user.id]
            )
            self.assertEqual(self.env.cr.fetchone()[0], hashed)
            self.assertFalse(sub.password_hash)
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(invoice.partner_id, sub.sale_order_id.partner_invoice_id)
            self.assertEqual(invoice.subscription_id, sub.contract_id)
            self.assertEqual(sub.sale_order_id.invoice_ids, invoice)
            self.assertAlmostEqual(invoice.amount_total, sub.sale_order_id.amount_total)
        self.assertEqual(subs.user_id.mapped("active"), [False, True, False])

    def test_a_signup_busy_elsewhere_is_retried_not_failed(self):
        sub = self._signup(finish=False)

        def busy(submission):
            raise psycopg2.errors.SerializationFailure("concurrent update")

        Submission = type(self.env["coworking.signup.submission"])
        with patch.object(Submission, "_coworking_finish", busy):
            self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(sub.state, "pending")
        self.assertFalse(sub.finish_error, "not an error: the next run finishes it")
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(sub.state, "done")

    def _give_provider_a_journal(self):
        """Let the stand-in provider (code ``none``) record payments in a bank."""
        Method = self.env.registry["account.payment.method"]
        original = Method._get_payment_method_information

        def information(method_self):
            return dict(
                original(method_self), none={"mode": "electronic", "type": ("bank",)}
            )

        with patch.object(Method, "_get_payment_method_information", information):
            self.env["account.payment.method"].sudo().create(
                {"name": "Banco Teste", "code": "none", "payment_type": "inbound"}
            )
            journal = self.env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
            )
            self.provider.journal_id = journal
        # payments are posted to the outstanding receipts account, then matched
        journal.inbound_payment_method_line_ids.filtered(
            lambda line: line.code == "none"
        ).payment_account_id = self.env["account.account"].create(
            {
                "name": "Outstanding receipts (test)",
                "code": "OUTR99",
                "account_type": "asset_current",
                "reconcile": True,
            }
        )

    def test_payment_before_the_job_pays_the_first_invoice(self):
        """The visitor pays the sale order before the finishing job ran: the payment
        issues the first invoice and pays it, and the job later only sends mails."""
        self.plan.benefits_start = "payment"
        self.env["ir.config_parameter"].set_param("sale.automatic_invoice", "True")
        self._give_provider_a_journal()
        sub = self._signup(finish=False)
        order = sub.sale_order_id
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.provider.payment_method_ids[:1].id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_invoice_id.id,
                "reference": "SIGNUP-TX-1",
                "operation": "online_redirect",
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        tx._set_done()
        tx._post_process()
        invoice = sub.invoice_id
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(order.invoice_ids, invoice, "invoiced once")
        self.assertEqual(tx.invoice_ids, invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertFalse(
            order.message_ids.filtered(lambda m: order.partner_id in m.partner_ids),
            "no sale 'payment executed' e-mail: the signup's e-mails tell the member",
        )
        self.assertEqual(sub.contract_id.coworking_benefits_state, "active")
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(sub.state, "done")
        # the job makes the portal user, active since the payment came first
        self.assertTrue(sub.user_created)
        self.assertTrue(sub.user_id.active)
        self.assertEqual(order.invoice_ids, invoice)

    def test_same_form_twice_creates_nothing_more(self):
        first = self._signup()
        before = self._counts()
        values = self.Signup._prepare_form_values(self.form())
        again = self.Signup._create_signup(self.plan, values, self.files())
        self.assertEqual(again, first)
        self.assertEqual(self._counts(), before)

    def test_form_without_one_time_token_is_refused(self):
        errors = self._errors(dict(self.form(), submission_token=""))
        self.assertIn("form", errors)

    def test_concurrent_claim_of_a_token_returns_the_first(self):
        """The INSERT ... ON CONFLICT path: a claim already visible is returned."""
        first = self._signup()
        self.env.invalidate_all()
        values = self.Signup._prepare_form_values(self.form())
        again = self.env["coworking.signup.submission"]._coworking_claim(
            self.plan, values["submission_token"], "203.0.113.9"
        )
        self.assertEqual(again, first)
        self.assertEqual(again.ip_address, "203.0.113.7")

    def test_zero_setup_fee(self):
        self.plan.setup_fee = 0.0
        sub = self._signup()
        self.assertEqual(len(sub.sale_order_id.order_line), 1)
        self.assertAlmostEqual(sub.invoice_id.amount_untaxed, 800.0)

    def test_no_password_no_user(self):
        self.plan.ask_password = False
        before = self.env["res.users"].search_count([])
        sub = self._signup(self.form(password="", password_confirm=""))
        self.assertFalse(sub.user_id)
        self.assertEqual(self.env["res.users"].search_count([]), before)

    @freeze_time("2026-03-01 02:30:00")
    def test_start_date_in_company_time_zone(self):
        # 02:30 UTC on 1 March is still 28 February in São Paulo (UTC-3)
        sub = self._signup()
        self.assertEqual(sub.contract_id.date_start, date(2026, 2, 28))
        self.assertEqual(sub.contract_id.coworking_due_day, 28)
        self.assertEqual(sub.contract_id.recurring_next_date, date(2026, 3, 28))

    def test_benefits_held_until_payment(self):
        self.plan.benefits_start = "payment"
        sub = self._signup()
        contract = sub.contract_id
        self.assertEqual(contract.coworking_benefits_state, "held")
        self.assertEqual(set(contract.coworking_quota_ids.mapped("state")), {"held"})
        self.assertFalse(sub.user_id.active)
        # the first invoice is paid
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=sub.invoice_id.ids
        ).create({})._create_payments()
        self.assertIn(sub.invoice_id.payment_state, ("paid", "in_payment"))
        self.assertEqual(contract.coworking_benefits_state, "active")
        self.assertEqual(set(contract.coworking_quota_ids.mapped("state")), {"active"})
        self.assertTrue(sub.user_id.active)

    def test_throttle_counts_every_attempt_per_ip(self):
        self.env["ir.config_parameter"].set_param(
            "coworking_online_signup.throttle_limit", 2
        )
        self.assertFalse(self.env["coworking.signup.throttle"]._hit("198.51.100.1"))
        self.assertFalse(self.env["coworking.signup.throttle"]._hit("198.51.100.1"))
        self.assertTrue(self.env["coworking.signup.throttle"]._hit("198.51.100.1"))
        self.assertFalse(self.env["coworking.signup.throttle"]._hit("198.51.100.2"))
        # the address is never stored in clear
        keys = self.env["coworking.signup.throttle"].search([]).mapped("address_key")
        self.assertFalse([key for key in keys if "198.51" in key])
