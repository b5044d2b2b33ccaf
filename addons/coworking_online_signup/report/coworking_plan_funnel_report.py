# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# Day of a UTC timestamp column in the company's time zone (its address's, as for
# the contracts' start dates).
LOCAL_DAY = (
    "(({column}) AT TIME ZONE 'UTC' AT TIME ZONE "
    "COALESCE(NULLIF(cp.tz, ''), 'America/Sao_Paulo'))::date"
)


class CoworkingPlanFunnelReport(models.Model):
    """Funnel of the plan links (B8), per plan and per day: people who opened the
    link, online signups, and those signups already paid.

    A signup counts as paid when its first invoice is paid (or in payment) or a
    payment transaction of its sale order is done; it is counted on the day of the
    signup. Visits are the rows of ``coworking.plan.visit``: robots, HEAD requests
    and reloads are never recorded there.
    """

    _name = "coworking.plan.funnel.report"
    _description = "Coworking Plan Funnel"
    _auto = False
    _order = "date desc, plan_id"
    _rec_name = "plan_id"
    # flushed before the report is searched
    _depends = {
        "coworking.plan.visit": ["plan_id", "company_id", "visit_date"],
        "coworking.signup.submission": [
            "plan_id",
            "create_date",
            "invoice_id",
            "sale_order_id",
        ],
        "coworking.plan": ["unit_id", "company_id"],
        "account.move": ["payment_state"],
        "payment.transaction": ["state", "sale_order_ids"],
        "res.company": ["partner_id"],
        "res.partner": ["tz"],
    }

    date = fields.Date(string="Day", readonly=True)
    plan_id = fields.Many2one("coworking.plan", readonly=True)
    unit_id = fields.Many2one("coworking.unit", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    visit_count = fields.Integer(string="Visits", readonly=True)
    signup_count = fields.Integer(string="Signups", readonly=True)
    paid_count = fields.Integer(string="Paid signups", readonly=True)
    conversion_rate = fields.Float(
        string="Conversion (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Signups per 100 visits.",
    )

    @property
    def _table_query(self):
        visit_day = LOCAL_DAY.format(column="v.visit_date")
        signup_day = LOCAL_DAY.format(column="s.create_date")
        return f"""
            SELECT f.plan_id::bigint * 100000 + (f.date - DATE '2000-01-01') AS id,
                   f.date, f.plan_id, p.unit_id, p.company_id,
                   SUM(f.visits)::integer AS visit_count,
                   SUM(f.signups)::integer AS signup_count,
                   SUM(f.paid)::integer AS paid_count,
                   CASE WHEN SUM(f.visits) > 0
                        THEN 100.0 * SUM(f.signups) / SUM(f.visits)
                        ELSE 0 END AS conversion_rate
              FROM (
                    SELECT v.plan_id, {visit_day} AS date,
                           1 AS visits, 0 AS signups, 0 AS paid
                      FROM coworking_plan_visit v
                      JOIN res_company c ON c.id = v.company_id
                      JOIN res_partner cp ON cp.id = c.partner_id
                    UNION ALL
                    SELECT s.plan_id, {signup_day} AS date, 0, 1,
                           CASE WHEN m.payment_state IN ('paid', 'in_payment')
                                  OR EXISTS (
                                      SELECT 1
                                        FROM sale_order_transaction_rel r
                                        JOIN payment_transaction t
                                          ON t.id = r.transaction_id
                                       WHERE r.sale_order_id = s.sale_order_id
                                         AND t.state = 'done')
                                THEN 1 ELSE 0 END
                      FROM coworking_signup_submission s
                      JOIN coworking_plan sp ON sp.id = s.plan_id
                      JOIN res_company c ON c.id = sp.company_id
                      JOIN res_partner cp ON cp.id = c.partner_id
                      LEFT JOIN account_move m ON m.id = s.invoice_id
                   ) f
              JOIN coworking_plan p ON p.id = f.plan_id
             GROUP BY f.date, f.plan_id, p.unit_id, p.company_id
        """

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """Override: the conversion of a group is its signups per 100 visits, not
        the average of its days' conversions."""
        groups = super().read_group(
            domain,
            fields,
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        for group in groups:
            if "conversion_rate" in group:
                visits = group.get("visit_count")
                signups = group.get("signup_count")
                if visits is None or signups is None:
                    visits, signups = self._funnel_totals(group.get("__domain"))
                group["conversion_rate"] = 100.0 * signups / visits if visits else 0.0
        return groups

    @api.model
    def _funnel_totals(self, domain):
        [(visits, signups)] = self._read_group(
            domain or [], [], ["visit_count:sum", "signup_count:sum"]
        )
        return visits or 0, signups or 0
