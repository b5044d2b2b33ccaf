# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

import psycopg2

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# Signups finished per run of the finishing job; the job runs again at once while
# more are waiting.
FINISH_BATCH_SIZE = 20
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
        [("pending", "Finishing"), ("done", "Done")],
        string="Status",
        default="pending",
        required=True,
        readonly=True,
        index=True,
        help="Finishing: the client, sale and contract exist and the visitor can pay; "
        "the first invoice and the e-mails follow within moments.",
    )
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
