# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models, tools
from odoo.http import request

# User agents that announce a robot: search engines, link previews of chat and social
# apps (WhatsApp, Telegram, Slack, Facebook, X, LinkedIn, Discord...), monitors and
# headless browsers. They open a shared link before (or instead of) a person.
BOT_USER_AGENT = re.compile(
    r"(?<!cu)bot|crawl|spider|slurp|preview|facebookexternalhit|facebookcatalog"
    r"|whatsapp|embedly|pinterest|vkshare|skype|headless|lighthouse|pingdom"
    r"|uptime|ia_archiver|mediapartners|google-inspectiontool",
    re.IGNORECASE,
)
# A visitor reopening the same plan link within this many minutes is one visit.
RELOAD_WINDOW_MINUTES = 10


class CoworkingPlanVisit(models.Model):
    """One opening of a plan's public link by a person (funnel, B8).

    Append-only: each visit inserts a row, so visitors opening the same link at once
    never wait on each other nor make Odoo replay their request, which a counter
    column on the plan would. Robots (link previews, crawlers), HEAD requests and
    reloads by the same visitor within minutes add no row.
    """

    _name = "coworking.plan.visit"
    _description = "Coworking Plan Link Visit"
    _order = "id desc"
    _log_access = False

    plan_id = fields.Many2one(
        "coworking.plan", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    visit_date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )
    visitor_key = fields.Char(
        readonly=True,
        help="Keyed hash of the visitor's IP address and browser, to recognise a "
        "reload; the address itself is not kept.",
    )

    def init(self):
        tools.create_index(
            self.env.cr,
            "coworking_plan_visit_reload_idx",
            self._table,
            ["plan_id", "visitor_key", "visit_date"],
            where="visitor_key IS NOT NULL",
        )

    @api.model
    def _coworking_request_visitor(self):
        """The current HTTP request's visitor, as keyword arguments of
        :meth:`_coworking_should_count`; empty outside a request."""
        if not request:
            return {}
        httprequest = request.httprequest
        return {
            "user_agent": httprequest.headers.get("User-Agent", ""),
            "ip_address": httprequest.remote_addr,
            "method": httprequest.method,
        }

    @api.model
    def _coworking_should_count(self, user_agent=None, method=None, **_visitor):
        """Whether this opening of a link is a person's visit.

        ``None`` means unknown (a call from code): counted. A HEAD request (link
        checkers, prefetch), an empty user agent (browsers always send one) and a
        user agent that announces a robot are not.
        """
        if method is not None and method.upper() != "GET":
            return False
        if user_agent is not None and (
            not user_agent.strip() or BOT_USER_AGENT.search(user_agent)
        ):
            return False
        return True

    @api.model
    def _coworking_visitor_key(self, ip_address=None, user_agent=None, **_visitor):
        """Keyed hash of IP and user agent (None without an IP): two people behind
        the same IP on different devices remain two visitors."""
        if not ip_address:
            return None
        message = f"{ip_address}|{user_agent or ''}"
        return tools.hmac(self.env(su=True), "coworking-plan-visit", message)[:32]

    @api.model
    def _coworking_insert(self, plans, visitor_key=None):
        """Insert one visit per plan, unless this visitor opened it within
        ``RELOAD_WINDOW_MINUTES`` (one statement, nothing locked)."""
        self.env.cr.execute(
            """
            INSERT INTO coworking_plan_visit
                (plan_id, company_id, visit_date, visitor_key)
            SELECT p.id, p.company_id, now() at time zone 'UTC', %(key)s
              FROM coworking_plan p
             WHERE p.id IN %(ids)s
               AND (%(key)s IS NULL OR NOT EXISTS (
                    SELECT 1 FROM coworking_plan_visit v
                     WHERE v.plan_id = p.id
                       AND v.visitor_key = %(key)s
                       AND v.visit_date > now() at time zone 'UTC'
                           - make_interval(mins => %(minutes)s)))
            """,
            {
                "key": visitor_key,
                "ids": tuple(plans.ids),
                "minutes": RELOAD_WINDOW_MINUTES,
            },
        )
        return self.env.cr.rowcount
