# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import (
    datetime as safe_datetime,
    safe_eval,
)

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestBackofficeViews(CoworkingCommon):
    """The operator's lists: online signups and contracts, their filters, group-bys
    and links."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Submission = cls.env["coworking.signup.submission"]
        cls.provider = cls.env["payment.provider"].create(
            {"name": "Boleto test", "state": "test"}
        )

    def _filter_domain(self, model, name):
        """The domain of a filter of ``model``'s search view, evaluated as the web
        client does."""
        arch = self.env[model].with_user(self.user).get_views([(False, "search")])
        search = etree.fromstring(arch["views"]["search"]["arch"])
        [node] = search.xpath(f"//filter[@name='{name}']")
        today = self.company._coworking_today()
        return safe_eval(
            node.get("domain"),
            {
                "context_today": lambda: today,
                "datetime": safe_datetime,
                "relativedelta": relativedelta,
            },
        )

    def _search_filter(self, model, name, domain=()):
        return self.env[model].search(list(domain) + self._filter_domain(model, name))

    def _submission(self, token, **values):
        return self.Submission.create(
            {"token": token, "plan_id": self.plan.id, **values}
        )

    # Online signups
    def test_signup_filters_return_what_they_say(self):
        pending = self._submission("views-pending-0001")
        failed = self._submission(
            "views-failed-00001", finish_error="SMTP down", provider_id=self.provider.id
        )
        done = self._submission("views-done-0000001", state="done")
        old = self._submission("views-old-00000001", state="done")
        old.flush_recordset()
        last_year = fields.Datetime.now() - timedelta(days=400)
        self.env.cr.execute(
            "UPDATE coworking_signup_submission SET create_date = %s WHERE id = %s",
            [last_year, old.id],
        )
        old.invalidate_recordset(["create_date"])
        old.modified(["create_date"])
        old.flush_recordset()
        ours = [("plan_id", "=", self.plan.id)]
        model = "coworking.signup.submission"
        self.assertEqual(
            self._search_filter(model, "filter_pending", ours), pending | failed
        )
        self.assertEqual(
            self._search_filter(model, "filter_finish_failed", ours), failed
        )
        self.assertEqual(
            self._search_filter(model, "filter_today", ours), pending | failed | done
        )
        self.assertEqual(
            self._search_filter(model, "filter_this_month", ours),
            pending | failed | done,
        )
        self.assertEqual(done.signup_date, self.company._coworking_today())
        self.assertEqual(done.unit_id, self.unit)

    def test_signup_group_bys(self):
        self._submission("views-group-000001", provider_id=self.provider.id)
        self._submission("views-group-000002")
        arch = self.env["coworking.signup.submission"].get_views([(False, "search")])
        search = etree.fromstring(arch["views"]["search"]["arch"])
        group_bys = {
            node.get("name"): safe_eval(node.get("context"))["group_by"]
            for node in search.xpath("//filter[@context]")
        }
        self.assertEqual(
            group_bys,
            {
                "groupby_plan": "plan_id",
                "groupby_unit": "unit_id",
                "groupby_provider": "provider_id",
                "groupby_state": "state",
                "groupby_day": "signup_date:day",
            },
        )
        for group_by in group_bys.values():
            groups = self.Submission.read_group(
                [("plan_id", "=", self.plan.id)], [], [group_by]
            )
            self.assertEqual(
                sum(g[f"{group_by.split(':')[0]}_count"] for g in groups), 2
            )

    def test_signup_form_links_its_records(self):
        contract = self._new_contract(coworking_signup_origin="online")
        submission = self._submission(
            "views-links-000001",
            partner_id=self.client.id,
            contract_id=contract.id,
            provider_id=self.provider.id,
        )
        form = Form(submission.with_user(self.user))
        self.assertEqual(form.contract_id, contract)
        arch = submission.get_views([(False, "form")])["views"]["form"]["arch"]
        for field in ("partner_id", "contract_id", "sale_order_id", "invoice_id"):
            self.assertIn(f"'coworking_field': '{field}'", arch)
        self.assertIn("action_view_transactions", arch)
        action = submission.with_context(
            coworking_field="contract_id"
        ).action_open_linked()
        self.assertEqual(
            (action["res_model"], action["res_id"]), (contract._name, contract.id)
        )
        self.assertFalse(
            submission.with_context(coworking_field="user_id").action_open_linked()
        )
        self.assertEqual(submission.transaction_count, 0)

    # Contracts
    def test_contract_list_shows_the_coworking_columns(self):
        arch = self.env["sale.subscription"].get_views([(False, "list")])["views"][
            "list"
        ]["arch"]
        for field in (
            "coworking_unit_id",
            "coworking_plan_id",
            "coworking_signup_origin",
            "coworking_due_day",
            "coworking_signup_provider_id",
            "recurring_next_date",
            "coworking_benefits_state",
        ):
            self.assertIn(f'name="{field}"', arch, field)

    def test_contract_payment_method_is_the_signup_provider(self):
        contract = self._new_contract(coworking_signup_origin="online")
        self.assertFalse(contract.coworking_signup_provider_id)
        submission = self._submission("views-provider-001")
        submission.write({"contract_id": contract.id, "provider_id": self.provider.id})
        self.assertEqual(contract.coworking_signup_provider_id, self.provider)
        groups = self.env["sale.subscription"].read_group(
            [("id", "=", contract.id)], [], ["coworking_signup_provider_id"]
        )
        self.assertEqual(groups[0]["coworking_signup_provider_id"][0], self.provider.id)

    def test_contract_filters_return_what_they_say(self):
        today = self.company._coworking_today()
        held = self._new_contract(
            coworking_signup_origin="online", coworking_benefits_state="held"
        )
        active = self._new_contract(
            coworking_signup_origin="online", coworking_benefits_state="active"
        )
        manual = self._new_contract(start=date(2026, 3, 31))
        (held | active | manual).write({"recurring_next_date": today})
        held.recurring_next_date = today - timedelta(days=3)
        ours = [("id", "in", (held | active | manual).ids)]
        model = "sale.subscription"
        self.assertEqual(self._search_filter(model, "filter_benefits_held", ours), held)
        self.assertEqual(
            self._search_filter(model, "filter_benefits_active", ours), active
        )
        self.assertEqual(
            self._search_filter(model, "filter_next_invoice_overdue", ours), held
        )
        self.assertEqual(
            self._search_filter(model, "filter_online", ours), held | active
        )
        # every column has its group-by, counted
        for group_by, expected in (
            ("coworking_due_day", {7: 2, 31: 1}),
            ("coworking_benefits_state", {"held": 1, "active": 1, False: 1}),
            ("coworking_signup_origin", {"online": 2, "manual": 1}),
        ):
            groups = self.env[model].read_group(ours, [], [group_by])
            self.assertEqual(
                {g[group_by]: g[f"{group_by}_count"] for g in groups}, expected
            )
        arch = self.env[model].get_views([(False, "search")])["views"]["search"]["arch"]
        for name in (
            "groupby_unit",
            "groupby_plan",
            "groupby_signup_origin",
            "groupby_due_day",
            "groupby_signup_provider",
            "groupby_recurring_next_date",
            "groupby_benefits_state",
        ):
            self.assertIn(f'name="{name}"', arch, name)
