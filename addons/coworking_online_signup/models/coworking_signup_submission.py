# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines because this is a signup's whole life after the form was valid:
# claiming the form's one-time token, waiting for a proof of identity (and its
# expiry), the finishing job (portal user, first invoice, charge, e-mails) and the
# abandonment of a signup never paid. Each part is marked.
import logging
import secrets
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq

from .coworking_signup import HELD_VALUE_KEYS

_logger = logging.getLogger(__name__)

# Signups finished per run of the finishing job; the job runs again at once while
# more are waiting.
FINISH_BATCH_SIZE = 20
# Days a confirmation link sent to a client's e-mail stays valid.
CONFIRMATION_DAYS = 7
# An identity signup nobody confirmed is discarded this many days after its link
# expired (the operator's time to review it): what the visitor typed and sent is
# personal data kept for no purpose after that (LGPD).
IDENTITY_KEEP_DAYS = 30
# Raised when the payment confirmation issues the same first invoice concurrently.
CONCURRENCY_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
)


class CoworkingSignupSubmission(models.Model):
    """One completed online signup, keyed by the one-time token of its form.

    A second POST with the same token (double click, refresh, retried request) finds
    this record and gets the first result back instead of creating anything.
    """

    _name = "coworking.signup.submission"
    _description = "Coworking Online Signup"
    _order = "id desc"
    _rec_name = "partner_id"

    token = fields.Char(required=True, index=True, readonly=True, copy=False)
    plan_id = fields.Many2one(
        "coworking.plan", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    unit_id = fields.Many2one(related="plan_id.unit_id", store=True, index=True)
    signup_date = fields.Date(
        string="Signup day",
        compute="_compute_signup_date",
        store=True,
        index=True,
        help="Day of the signup in the company's time zone.",
    )
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    person_id = fields.Many2one("res.partner", string="Person", readonly=True)
    contract_id = fields.Many2one("sale.subscription", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")
    invoice_id = fields.Many2one("account.move", readonly=True)
    user_id = fields.Many2one("res.users", string="Portal user", readonly=True)
    provider_id = fields.Many2one("payment.provider", readonly=True)
    ip_address = fields.Char(string="IP address", readonly=True, index=True)
    terms_version = fields.Char(readonly=True)
    state = fields.Selection(
        [
            ("identity", "Identity to confirm"),
            ("pending", "Finishing"),
            ("done", "Done"),
            ("discarded", "Discarded"),
            ("abandoned", "Abandoned"),
        ],
        string="Status",
        default="pending",
        required=True,
        readonly=True,
        index=True,
        help="Identity to confirm: the CPF/CNPJ typed belongs to an existing client "
        "and nothing was created yet; the client confirms (by logging in or by the "
        "link sent to the e-mail on file) or an operator decides.\n"
        "Finishing: the client, sale and contract exist and the visitor can pay; "
        "the first invoice and the e-mails follow within moments.\n"
        "Abandoned: the first payment never came; contract, sale and charge were "
        "cancelled (the plan's days after the payment was due).",
    )
    email = fields.Char(
        string="E-mail typed",
        readonly=True,
        help="The e-mail typed in the form: the thank-you page shows only what the "
        "visitor typed.",
    )
    documents_missing = fields.Char(
        readonly=True,
        help="Documents the visitor sent that the storage allowance could not take: "
        "the signup went on without them and the unit was told to ask for them.",
    )
    user_created = fields.Boolean(
        readonly=True,
        help="The portal user was created by this signup: only such a user is "
        "activated when the first payment is confirmed.",
    )
    identity_client_id = fields.Many2one(
        "res.partner",
        string="Existing client",
        readonly=True,
        help="The client that already has the CPF/CNPJ typed in this signup.",
    )
    identity_reason = fields.Selection(
        [
            ("login", "The client has an account: log in"),
            ("email", "Confirmation link sent to the client's e-mail"),
            ("review", "No e-mail on file: an operator decides"),
        ],
        readonly=True,
    )
    held_values = fields.Json(readonly=True, groups="base.group_system")
    password_hash = fields.Char(readonly=True, groups="base.group_system")
    confirm_key = fields.Char(readonly=True, copy=False, groups="base.group_system")
    confirm_deadline = fields.Datetime(readonly=True)
    abandoned_on = fields.Date(readonly=True, copy=False)
    finish_error = fields.Text(
        string="Finishing error",
        readonly=True,
        help="Why the first invoice or the e-mails could not be made. Fix the cause, "
        "then use Finish now.",
    )

    transaction_count = fields.Integer(
        string="Payment transactions", compute="_compute_transaction_count"
    )

    _sql_constraints = [
        ("token_unique", "UNIQUE(token)", "A signup form can be submitted only once."),
    ]

    # Proof of identity (B1)
    def _coworking_hold_for_identity(self, client, values, files):
        """Keep a signup whose CPF/CNPJ belongs to ``client`` without creating or
        touching anything of that client, until its control is proven."""
        self.ensure_one()
        submission = self.sudo()
        if client._coworking_get_login_users():
            reason = "login"
        elif client.commercial_partner_id.email:
            reason = "email"
        else:
            reason = "review"
        password = values.get("password")
        submission.write(
            {
                "state": "identity",
                "email": values.get("email"),
                "identity_client_id": client.id,
                "identity_reason": reason,
                "held_values": {k: values.get(k) or "" for k in HELD_VALUE_KEYS},
                "password_hash": self._coworking_hash_password(password)
                if password
                else False,
                "confirm_key": secrets.token_urlsafe(32),
                "confirm_deadline": fields.Datetime.now()
                + timedelta(days=CONFIRMATION_DAYS),
            }
        )
        missing = submission.plan_id._coworking_documents_over_storage(files)
        if missing:
            submission.documents_missing = ", ".join(missing)
        else:
            submission.plan_id._coworking_attach_documents(submission, files)
        if reason == "email":
            submission._coworking_send_identity_mail()
        return submission

    def _coworking_send_identity_mail(self):
        """The confirmation link goes to the e-mail on file for the client, never to
        the e-mail typed in the form."""
        self.ensure_one()
        client = self.identity_client_id.commercial_partner_id
        template = self.env.ref(
            "coworking_online_signup.mail_template_identity_confirmation"
        )
        template.sudo().with_context(lang=client.lang).send_mail(
            self.id,
            email_values={"email_to": client.email, "recipient_ids": []},
        )

    def _coworking_get_confirm_url(self):
        self.ensure_one()
        return (
            f"{self.plan_id.get_base_url()}/coworking/signup/{self.token}/confirm"
            f"?key={self.sudo().confirm_key}"
        )

    def _coworking_check_confirm_key(self, key):
        """Whether ``key`` is this signup's (unexpired) confirmation key."""
        self.ensure_one()
        submission = self.sudo()
        return bool(
            submission.state == "identity"
            and submission.confirm_key
            and isinstance(key, str)
            and consteq(key, submission.confirm_key)
            and submission.confirm_deadline
            and submission.confirm_deadline >= fields.Datetime.now()
        )

    def _coworking_can_confirm(self, user=None, key=None):
        """Proof of control of the existing client: its user is logged in, or the
        key of the link sent to its e-mail on file is given."""
        self.ensure_one()
        if self.state != "identity":
            return False
        client = self.sudo().identity_client_id
        return client._coworking_is_controlled_by(
            user
        ) or self._coworking_check_confirm_key(key)

    def _coworking_confirm_identity(self, separate=False):
        """Create the signup's records, for the existing client or (``separate``)
        for a new one. Callers check the proof first."""
        self.ensure_one()
        submission = self.sudo()
        if submission.state != "identity":
            return submission
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "=", submission.id)])
        )
        Signup = self.env["coworking.signup"]._get_signup_service(submission.plan_id)
        Signup._create_signup_records(
            submission.with_env(Signup.env),
            dict(submission.held_values or {}),
            client=self.env["res.partner"]
            if separate
            else submission.identity_client_id,
            attachments=attachments,
        )
        submission.write({"confirm_key": False, "identity_reason": False})
        return submission

    def action_identity_attach(self):
        """Operator: the person is the existing client's; sign up for it."""
        for submission in self:
            submission._check_identity_state()
            submission._coworking_confirm_identity()
        return True

    def action_identity_separate(self):
        """Operator: not the same client; sign up as a new client (merge them later
        with Odoo's partner merge if they turn out to be the same)."""
        for submission in self:
            submission._check_identity_state()
            submission._coworking_confirm_identity(separate=True)
        return True

    def action_identity_discard(self):
        """Operator: nothing is created; what was typed and sent is deleted."""
        for submission in self:
            submission._check_identity_state()
            submission._coworking_discard_identity()
        return True

    def _coworking_discard_identity(self):
        """Nothing is created: the documents received, the values typed and the
        password's hash are deleted; the signup stays, discarded, in the funnel."""
        self.ensure_one()
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)]
        ).unlink()
        self.sudo().write(
            {
                "state": "discarded",
                "held_values": False,
                "confirm_key": False,
                "password_hash": False,
            }
        )

    @api.model
    def _cron_discard_expired_identity(self, batch_size=FINISH_BATCH_SIZE):
        """Discard the identity signups nobody confirmed: the link sent expired
        more than ``IDENTITY_KEEP_DAYS`` ago and no operator decided."""
        limit = fields.Datetime.now() - timedelta(days=IDENTITY_KEEP_DAYS)
        expired = self.sudo().search(
            [("state", "=", "identity"), ("confirm_deadline", "<", limit)],
            order="id",
            limit=batch_size,
        )
        for submission in expired:
            submission._coworking_discard_identity()
            _logger.info("Identity signup %s expired: discarded", submission.id)
        if len(expired) >= batch_size:
            self.env.ref(
                "coworking_online_signup.ir_cron_discard_identity_signups"
            )._trigger()
        return expired

    def _check_identity_state(self):
        if self.state != "identity":
            raise UserError(
                _(
                    "Signup %(name)s does not wait for an identity confirmation.",
                    name=self.display_name,
                )
            )

    @api.depends("create_date", "plan_id")
    def _compute_signup_date(self):
        for submission in self:
            company = submission.plan_id.company_id
            tz = company.partner_id.tz or "America/Sao_Paulo"
            submission.signup_date = fields.Datetime.context_timestamp(
                submission.with_context(tz=tz),
                submission.create_date or fields.Datetime.now(),
            ).date()

    @api.depends("sale_order_id")
    def _compute_transaction_count(self):
        for submission in self:
            submission.transaction_count = len(
                submission.sudo().sale_order_id.transaction_ids
            )

    def action_open_linked(self):
        """Open the client, contract, sale order or invoice of this signup (smart
        buttons: the field is given by the button's ``coworking_field`` context)."""
        self.ensure_one()
        field = self.env.context.get("coworking_field")
        if field not in ("partner_id", "contract_id", "sale_order_id", "invoice_id"):
            return False
        record = self[field]
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_transactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "payment.action_payment_transaction"
        )
        action["domain"] = [("sale_order_ids", "in", self.sale_order_id.ids)]
        action["context"] = {"create": False}
        return action

    def action_finish(self):
        """Issue the first invoice and send the e-mails now."""
        for submission in self.filtered(lambda s: s.state == "pending"):
            submission._coworking_finish()
        return True

    @api.model
    def _cron_finish_pending(self, batch_size=FINISH_BATCH_SIZE):
        """Finish the signups that wait for their first invoice and e-mails.

        Each signup in its own savepoint: one that fails keeps its error for the
        operator and does not hold the others back.
        """
        domain = [("state", "=", "pending"), ("finish_error", "=", False)]
        pending = self.sudo().search(domain, order="id", limit=batch_size)
        pending._coworking_prepare_finish_batch()
        for submission in pending:
            try:
                with self.env.cr.savepoint():
                    submission._coworking_finish()
            except CONCURRENCY_ERRORS:
                # the payment confirmation is issuing the same invoice right now:
                # leave it pending, the next run (a new transaction) sees its result
                _logger.info("Online signup %s is busy, retried later", submission.id)
            except Exception as error:  # kept on the record and logged
                _logger.exception("Could not finish online signup %s", submission.id)
                submission.finish_error = str(error) or repr(error)
        remaining = self.sudo().search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(pending), remaining=remaining)
        return True

    def _coworking_prepare_finish_batch(self):
        """Make the portal users and the first invoices of these signups together,
        before each is finished alone: in a burst of signups, one creation of all
        their users and one create and post of all their invoices cost a fraction
        of the queries of one at a time (issue 16).

        All or nothing, step by step: when one of them fails (or the payment
        confirmation holds an order), nothing of that step is kept, and each
        signup then makes its own in its own savepoint, keeping its own error
        for the operator."""
        pending = self.filtered(lambda submission: submission.state == "pending")
        if len(pending) < 2:
            return
        Signup = self.env["coworking.signup"]
        for group in pending.grouped(lambda s: s.plan_id.company_id).values():
            service = Signup._get_signup_service(group[:1].plan_id)
            group = group.with_env(service.env)
            for step in (
                "_coworking_ensure_portal_users",
                "_coworking_ensure_first_invoices",
            ):
                try:
                    with self.env.cr.savepoint():
                        getattr(group, step)()
                except Exception:  # each is retried alone, and keeps its own error
                    _logger.info(
                        "Online signups %s: %s one by one",
                        group.ids,
                        step,
                        exc_info=True,
                    )

    # The form's one-time token (B2)
    @api.model
    def _coworking_find(self, token):
        """The submission of a form's one-time token (empty for no token)."""
        if not token:
            return self.browse()
        return self.sudo().search([("token", "=", token)], limit=1)

    @api.model
    def _coworking_claim(self, plan, token, ip_address):
        """Claim the form's one-time token for ``plan``; return the existing claim
        if any.

        ``INSERT ... ON CONFLICT DO NOTHING``: when a concurrent request with the same
        token committed after this transaction began, PostgreSQL raises a
        serialization failure and Odoo replays the request, which then finds the
        first submission and returns its result (B2).
        """
        existing = self._coworking_find(token)
        if existing:
            return existing
        self.env.cr.execute(
            """
            INSERT INTO coworking_signup_submission
                (token, plan_id, state, create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, 'pending', %s, %s,
                    now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (token) DO NOTHING
            RETURNING id
            """,
            [token, plan.id, self.env.uid, self.env.uid],
            # a serialization failure is the expected answer to a concurrent
            # double submit: Odoo replays the request, no need to log it as an error
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        if not row:
            return self._coworking_find(token)
        submission = self.browse(row[0])
        submission.write(
            {
                "plan_id": plan.id,
                "ip_address": ip_address,
                "terms_version": plan.terms_version,
            }
        )
        return submission

    @api.model
    def _coworking_hash_password(self, password):
        """Odoo's own password hash (PBKDF2), as ``res.users`` stores it."""
        return self.env["res.users"]._crypt_context().hash(password)

    # The finishing job
    def _coworking_finish(self):
        """Issue the portal user, the first invoice and the e-mails of this signup
        (idempotent).

        Runs after the signup's transaction, by the ``ir_cron_finish_signups`` job, or
        earlier when the payment of the sale order is confirmed first. An entry
        point: superuser is taken here, in the plan's company.
        """
        self.ensure_one()
        if self.state != "pending":
            return self
        service = self.env["coworking.signup"]._get_signup_service(self.plan_id)
        submission = self.with_env(service.env)
        submission._coworking_ensure_portal_user()
        submission._coworking_ensure_first_invoice()
        submission._coworking_issue_first_charge()
        submission._coworking_send_signup_mails()
        submission.contract_id._coworking_signup_finished(submission)
        submission.write({"state": "done", "finish_error": False})
        return submission

    def _coworking_ensure_portal_user(self):
        """Portal access with the password chosen at signup (F6), made once from the
        kept hash; dormant until payment when the benefits wait for it (F2). A
        person who already has a user keeps it, and only a user created here is
        ever activated by the payment."""
        self.ensure_one()
        self._coworking_ensure_portal_users()
        return self.user_id

    def _coworking_ensure_portal_users(self):
        """``_coworking_ensure_portal_user`` for these signups, the users created
        together (Odoo empties its caches once per creation of users, not once
        per user). A person or login twice among them is left to its own run."""
        Users = self.env["res.users"].with_context(active_test=False)
        to_create, logins, persons = self.browse(), set(), set()
        for submission in self:
            plan, person = submission.plan_id, submission.person_id
            if submission.user_id or not plan.ask_password or not person:
                continue
            existing = person.with_context(active_test=False).user_ids[:1]
            login = submission.email or person.email
            if (
                existing
                or not submission.password_hash
                or Users.search_count([("login", "=ilike", login)], limit=1)
            ):
                # a returning client keeps the access they have; a login taken
                # since the form was validated is left to the operator
                submission.write({"user_id": existing.id, "password_hash": False})
            elif login.lower() not in logins and person.id not in persons:
                logins.add(login.lower())
                persons.add(person.id)
                to_create |= submission
        for company, group in to_create.grouped(lambda s: s.plan_id.company_id).items():
            users = self.env["res.partner"]._coworking_create_portal_users(
                [(s.person_id, s.email or s.person_id.email) for s in group], company
            )
            held = self.env["res.users"]
            for submission, user in zip(group, users, strict=True):
                if submission.contract_id.coworking_benefits_state == "held":
                    held |= user
            held.write({"active": False})
            for submission, user in zip(group, users, strict=True):
                user._set_encrypted_password(user.id, submission.password_hash)
                submission.write(
                    {"user_id": user.id, "user_created": True, "password_hash": False}
                )
        return self.user_id

    def _coworking_ensure_first_invoice(self):
        """The signup's first invoice, issued once whoever asks first (the finishing
        job or the payment confirmation). The one place a signup's first invoice
        is issued, with ``_coworking_ensure_first_invoices``."""
        self.ensure_one()
        return self._coworking_ensure_first_invoices()

    def _coworking_ensure_first_invoices(self):
        """The first invoices of these signups, each issued once: the sale orders'
        rows are locked, and the invoices missing are created and posted together
        (a burst of signups shares most of an invoice's queries)."""
        submissions = self.sudo().filtered(
            lambda submission: submission.sale_order_id and submission.contract_id
        )
        if not submissions:
            return self.env["account.move"]
        self.env.cr.execute(
            "SELECT id FROM sale_order WHERE id IN %s ORDER BY id FOR UPDATE",
            [tuple(submissions.sale_order_id.ids)],
        )
        submissions.invalidate_recordset(["invoice_id"])
        todo = submissions.filtered(lambda submission: not submission.invoice_id)
        SaleOrder = self.env["sale.order"]
        for company, group in todo.grouped(
            lambda submission: submission.sale_order_id.company_id
        ).items():
            invoices = SaleOrder.with_company(company)._coworking_create_first_invoices(
                [
                    (submission.sale_order_id, submission.contract_id)
                    for submission in group
                ]
            )
            for submission, invoice in zip(group, invoices, strict=True):
                submission.invoice_id = invoice
        return submissions.invoice_id

    def _coworking_issue_first_charge(self):
        """The charge of the chosen method, issued by the signup itself (the seed:
        "registration, sale and charge") when the server can make it alone (a
        boleto, a PIX code); a card waits for the payer's browser. Never a second
        charge: an open one (made by the visitor's payment page) is kept. A bank
        that cannot be reached keeps the charge for a retry; the signup goes on.

        :return: The charge (``payment.transaction``), or an empty recordset.
        """
        self.ensure_one()
        provider, order = self.provider_id, self.sale_order_id
        Transaction = self.env["payment.transaction"]
        if not provider or not order or not provider._br_issues_charge_without_payer():
            return Transaction
        if (
            order.currency_id.compare_amounts(order.amount_total - order.amount_paid, 0)
            <= 0
        ):
            return Transaction
        order._coworking_lock()
        tx = order._coworking_get_open_charges(provider)[:1]
        if not tx:
            tx = Transaction.create(
                order._coworking_prepare_transaction_values(provider)
            )
            order._coworking_touch()
        if tx.state == "draft":
            try:
                with self.env.cr.savepoint():
                    tx._br_issue_charge()
            except Exception:  # the signup is never lost to a bank's answer
                _logger.exception("Charge of online signup %s not issued", self.id)
        return tx

    def _coworking_get_charge_url(self):
        """The page of this signup's open charge (boleto, PIX), or False."""
        self.ensure_one()
        tx = self.sale_order_id._coworking_get_open_charges().filtered(
            lambda t: t.state in ("pending", "authorized")
        )[:1]
        return tx._br_get_charge_url() if tx else False

    def _coworking_send_signup_mails(self):
        """Tell the unit (F4) and welcome the member (F15), through the mail queue."""
        self.ensure_one()
        plan, contract = self.plan_id, self.contract_id
        addresses = plan.unit_id._get_notification_email_list()
        if addresses:
            template = self.env.ref(
                "coworking_online_signup.mail_template_unit_notification"
            )
            template.with_context(documents_missing=self.documents_missing).send_mail(
                contract.id,
                email_values={"email_to": ",".join(addresses), "recipient_ids": []},
            )
        welcome = self.env.ref("coworking_online_signup.mail_template_member_welcome")
        charge_url = self._coworking_get_charge_url()
        contract.with_context(
            lang=self.person_id.lang,
            mail_notify_force_send=False,
            coworking_charge_url=charge_url
            and f"{self.plan_id.get_base_url()}{charge_url}",
        ).message_post_with_source(
            welcome,
            partner_ids=self.person_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        body = _(
            "Online signup: contract %(contract)s for %(plan)s. Welcome e-mail sent to "
            "%(email)s.",
            contract=contract.name,
            plan=plan.name,
            email=self.person_id.email,
        )
        self.partner_id.message_post(body=body, subtype_xmlid="mail.mt_note")

    # Abandoned signups (issue 16)
    @api.model
    def _cron_abandon_unpaid(self, batch_size=FINISH_BATCH_SIZE):
        """Cancel the signups whose first payment never came, the plan's number of
        days after it was due. Each in its own savepoint: one that fails is logged
        and does not hold the others back."""
        candidates = self.sudo().search(
            [
                ("state", "=", "done"),
                ("plan_id.abandon_after_days", ">", 0),
                ("invoice_id.payment_state", "not in", ("paid", "in_payment")),
            ],
            order="id",
        )
        abandoned = self.browse()
        for submission in candidates:
            if len(abandoned) >= batch_size:
                break
            if not submission._coworking_is_abandoned():
                continue
            try:
                with self.env.cr.savepoint():
                    if submission._coworking_abandon():
                        abandoned |= submission
            except Exception:  # logged; retried at the next run
                _logger.exception("Could not cancel abandoned signup %s", submission.id)
        if len(abandoned) >= batch_size:
            self.env.ref("coworking_online_signup.ir_cron_abandon_signups")._trigger()
        return abandoned

    def _coworking_payment_due_date(self):
        """The last day the first payment was expected: the latest due date of its
        open charges (a boleto's), else the first invoice's due date."""
        self.ensure_one()
        dates = [
            tx._br_get_expiry_date()
            for tx in self.sale_order_id._coworking_get_open_charges()
        ]
        dates.append(self.invoice_id.invoice_date_due)
        dates = [day for day in dates if day]
        return max(dates) if dates else False

    def _coworking_is_abandoned(self):
        self.ensure_one()
        due = self._coworking_payment_due_date()
        if not due or self.invoice_id.payment_state in ("paid", "in_payment"):
            return False
        if self.sale_order_id.transaction_ids.filtered(lambda tx: tx.state == "done"):
            return False
        today = self.plan_id.company_id._coworking_today()
        return (today - due).days > self.plan_id.abandon_after_days

    def _coworking_abandon(self):
        """End a signup whose first payment never came: the charges are cancelled
        (at the bank too), the first invoice reversed by a credit note (accounting
        keeps both), the sale cancelled, the contract closed with its reason, the
        held quotas removed and the portal user this signup created (never used:
        dormant until payment) deleted, so the person can sign up again.

        A charge the bank reports paid when asked to cancel it (paid at the last
        moment, its notification not here yet) stops all of it.

        :return: whether the signup was abandoned
        :rtype: bool
        """
        self.ensure_one()
        reason = _("Abandoned: the first payment never came.")
        order = self.sale_order_id
        for tx in order._coworking_get_open_charges().filtered(
            lambda t: t.state in ("draft", "pending", "authorized")
        ):
            tx._br_cancel_charge(reason)
        if order._coworking_get_open_charges().filtered(
            lambda t: t.state in ("authorized", "done")
        ):
            return False
        invoice = self.invoice_id
        if invoice.state == "posted" and invoice.payment_state == "not_paid":
            invoice._reverse_moves(
                [
                    {
                        "ref": reason,
                        "invoice_date": self.plan_id.company_id._coworking_today(),
                    }
                ],
                cancel=True,
            )
        elif invoice.state == "draft":
            invoice.button_cancel()
        self.sale_order_id.with_context(disable_cancel_warning=True)._action_cancel()
        contract = self.contract_id
        contract.coworking_quota_ids.filtered(lambda q: q.state == "held").unlink()
        contract.close_subscription(
            close_reason_id=self.env.ref(
                "coworking_online_signup.close_reason_abandoned"
            ).id
        )
        contract.write({"coworking_abandoned": True, "coworking_benefits_state": False})
        user = self.user_id.with_context(active_test=False)
        if self.user_created and user and not user.active and not user.login_date:
            self.user_id = False
            user.unlink()
        self.write({"state": "abandoned", "abandoned_on": fields.Date.today()})
        contract.message_post(body=reason)
        self.partner_id.message_post(
            body=_(
                "Online signup of %(plan)s cancelled: the first payment never came.",
                plan=self.plan_id.name,
            )
        )
        return True
