# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from itertools import count

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import CoworkingCommon
from .signup_common import SignupMixin

BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
OTHER_BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1"
TOKENS = count()
ROBOTS = [
    "WhatsApp/2.23.20.0",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "TelegramBot (like TwitterBot)",
    "Twitterbot/1.0",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexSpider/3.0)",
    "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/534 (KHTML) BingPreview/1.0b",
    "Mozilla/5.0 (compatible) SemrushCrawler",
    "",
]


@tagged("post_install", "-at_install")
class TestFunnel(CoworkingCommon):
    """B8: visits of a plan link by people, signups and paid signups, per day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_plan = cls.plan.copy({"name": "Hot desk"})
        cls.Report = cls.env["coworking.plan.funnel.report"]

    def _visit(self, plan=None, ua=BROWSER, ip="203.0.113.7", method="GET"):
        return (plan or self.plan)._coworking_count_visit(
            user_agent=ua, ip_address=ip, method=method
        )

    def _visits(self, plan=None):
        return self.env["coworking.plan.visit"].search_count(
            [("plan_id", "=", (plan or self.plan).id)]
        )

    def _signup(self, plan=None, paid=False):
        plan = plan or self.plan
        submission = self.env["coworking.signup.submission"].create(
            {"token": f"funnel-token-{next(TOKENS)}", "plan_id": plan.id}
        )
        if paid:
            invoice = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.client.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Desk", "quantity": 1, "price_unit": 80}
                        )
                    ],
                }
            )
            invoice.action_post()
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})._create_payments()
            submission.invoice_id = invoice
        return submission

    def test_people_count_robots_and_head_requests_do_not(self):
        self.assertTrue(self._visit())
        for user_agent in ROBOTS:
            self.assertFalse(self._visit(ua=user_agent, ip="198.51.100.9"), user_agent)
        self.assertFalse(self._visit(ip="198.51.100.10", method="HEAD"))
        self.assertEqual(self._visits(), 1)

    def test_reload_within_minutes_is_one_visit(self):
        self.assertTrue(self._visit())
        self.assertFalse(self._visit(), "same person reloads")
        self.assertTrue(self._visit(ua=OTHER_BROWSER), "another device, same network")
        self.assertTrue(self._visit(ip="198.51.100.1"), "another network")
        self.assertTrue(self._visit(plan=self.other_plan), "another plan")
        self.assertEqual(self._visits(), 3)
        # ten minutes later the same person opening the link again is a new visit
        self.env["coworking.plan.visit"].flush_model()
        self.env.cr.execute(
            "UPDATE coworking_plan_visit SET visit_date = visit_date - interval "
            "'11 minutes' WHERE plan_id = %s",
            [self.plan.id],
        )
        self.assertTrue(self._visit())
        self.assertEqual(self._visits(), 4)

    def test_address_is_not_kept(self):
        self._visit(ip="203.0.113.77")
        visit = self.env["coworking.plan.visit"].search(
            [("plan_id", "=", self.plan.id)]
        )
        self.assertTrue(visit.visitor_key)
        self.assertNotIn("203.0.113.77", visit.visitor_key)

    def test_report_per_plan_and_day(self):
        for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
            self._visit(ip=ip)
        self._visit(ua="WhatsApp/2.23.20.0")
        self._visit(plan=self.other_plan)
        self._signup()
        self._signup(paid=True)
        # one visit of yesterday
        self.env["coworking.plan.visit"].flush_model()
        self.env.cr.execute(
            "UPDATE coworking_plan_visit SET visit_date = visit_date - interval "
            "'1 day' WHERE id = (SELECT max(id) FROM coworking_plan_visit "
            "WHERE plan_id = %s)",
            [self.plan.id],
        )
        self.env["coworking.plan.visit"].invalidate_model()
        today = self.company._coworking_today()
        rows = self.Report.search([("plan_id", "=", self.plan.id)])
        by_day = {row.date: row for row in rows}
        self.assertEqual(set(by_day), {today, today - timedelta(days=1)})
        row = by_day[today]
        self.assertEqual((row.visit_count, row.signup_count, row.paid_count), (3, 2, 1))
        self.assertAlmostEqual(row.conversion_rate, 200.0 / 3)
        self.assertEqual(row.unit_id, self.unit)
        self.assertEqual(by_day[today - timedelta(days=1)].visit_count, 1)
        # a group's conversion is its signups per 100 visits (2 / 4 = 50%)
        [group] = self.Report.read_group(
            [("plan_id", "=", self.plan.id)],
            ["visit_count:sum", "signup_count:sum", "conversion_rate:avg"],
            ["plan_id"],
        )
        self.assertEqual(group["visit_count"], 4)
        self.assertAlmostEqual(group["conversion_rate"], 50.0)
        [group] = self.Report.read_group(
            [("plan_id", "=", self.plan.id)], ["conversion_rate:avg"], ["plan_id"]
        )
        self.assertAlmostEqual(group["conversion_rate"], 50.0)
        # the plan list shows this month's figures
        self.plan.invalidate_recordset()
        self.assertEqual(self.plan.month_signup_count, 2)
        self.assertEqual(self.plan.month_paid_count, 1)
        self.assertIn(
            self.plan.month_visit_count, (3, 4), "yesterday may be last month"
        )
        self.assertEqual(self.other_plan.month_visit_count, 1)
        self.assertEqual(self.other_plan.month_signup_count, 0)

    def test_done_payment_transaction_makes_a_signup_paid(self):
        submission = self._signup()
        order = self.env["sale.order"].create({"partner_id": self.client.id})
        submission.sale_order_id = order
        provider = self.env["payment.provider"].create(
            {"name": "Test provider", "state": "test"}
        )
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_card").id,
                "amount": 80.0,
                "currency_id": self.company.currency_id.id,
                "partner_id": self.client.id,
                "reference": "FUNNEL-TX-1",
                "sale_order_ids": [Command.set(order.ids)],
            }
        )

        def paid():
            self.env.flush_all()
            self.Report.invalidate_model()
            return sum(
                self.Report.search([("plan_id", "=", self.plan.id)]).mapped(
                    "paid_count"
                )
            )

        self.assertEqual(paid(), 0)
        tx._set_done()
        self.assertEqual(paid(), 1)

    def test_user_sees_the_report_views_and_plan_buttons(self):
        report = self.Report.with_user(self.user)
        views = report.get_views(
            [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")]
        )
        self.assertEqual(set(views["views"]), {"pivot", "graph", "list", "search"})
        self._visit()
        self.assertEqual(report.search_count([("plan_id", "=", self.plan.id)]), 1)
        action = self.plan.with_user(self.user).action_view_funnel()
        self.assertEqual(action["res_model"], "coworking.plan.funnel.report")
        self.assertEqual(action["domain"], [("plan_id", "=", self.plan.id)])
        form = self.env["coworking.plan"].get_views([(False, "form"), (False, "list")])
        self.assertIn("action_view_funnel", form["views"]["form"]["arch"])
        self.assertIn("month_paid_count", form["views"]["list"]["arch"])


@tagged("post_install", "-at_install")
class TestFunnelHttp(SignupMixin, HttpCase):
    """The plan page counts its visits from the request itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signup_data()
        cls.url = f"/coworking/plan/{cls.plan.access_token}"

    def test_plan_page_counts_people_once(self):
        preview = self.url_open(self.url, headers={"User-Agent": "WhatsApp/2.23.20.0"})
        self.assertEqual(preview.status_code, 200, "robots still get the page")
        head = self.opener.head(
            self.base_url() + self.url, headers={"User-Agent": BROWSER}
        )
        self.assertEqual(head.status_code, 200)
        self.assertEqual(self._visits(), 0)
        for _reload in range(3):
            self.url_open(self.url, headers={"User-Agent": BROWSER})
        self.assertEqual(self._visits(), 1)
        self.url_open(self.url, headers={"User-Agent": OTHER_BROWSER})
        self.assertEqual(self._visits(), 2)
