# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
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
        "the first invoice and the e-mails follow within moments.",
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
                "password_hash": self.env["coworking.signup"]._hash_password(password)
                if password
                else False,
                "confirm_key": secrets.token_urlsafe(32),
                "confirm_deadline": fields.Datetime.now()
                + timedelta(days=CONFIRMATION_DAYS),
            }
        )
        Signup = self.env["coworking.signup"]._get_signup_service(submission.plan_id)
        missing = Signup._get_documents_over_storage(submission.plan_id, files)
        if missing:
            submission.documents_missing = ", ".join(missing)
        else:
            Signup._attach_documents(submission.plan_id, submission, files, self._name)
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
            submission,
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
        """Operator: nothing is created; the documents received are deleted."""
        for submission in self:
            submission._check_identity_state()
            self.env["ir.attachment"].sudo().search(
                [("res_model", "=", self._name), ("res_id", "=", submission.id)]
            ).unlink()
            submission.sudo().write(
                {"state": "discarded", "confirm_key": False, "password_hash": False}
            )
        return True

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
        Signup = self.env["coworking.signup"]
        for submission in self.filtered(lambda s: s.state == "pending"):
            Signup._finish_signup(submission)
        return True

    @api.model
    def _cron_finish_pending(self, batch_size=FINISH_BATCH_SIZE):
        """Finish the signups that wait for their first invoice and e-mails.

        Each signup in its own savepoint: one that fails keeps its error for the
        operator and does not hold the others back.
        """
        domain = [("state", "=", "pending"), ("finish_error", "=", False)]
        pending = self.sudo().search(domain, order="id", limit=batch_size)
        Signup = self.env["coworking.signup"]
        for submission in pending:
            try:
                with self.env.cr.savepoint():
                    Signup._finish_signup(submission)
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
