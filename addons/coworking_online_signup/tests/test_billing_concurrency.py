# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two billing runs at the same moment (B3) never bill a contract twice.

Odoo's test cases run in one uncommitted transaction, where two runs can never
overlap. Here two real transactions, on two connections, run the billing in small
batches at once, each batch committed as the cron machinery does and replayed on a
serialization failure. The contracts are committed in the throwaway test database;
they are closed at the end so that no later test sees them due.
"""

import threading

import psycopg2

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name

CONTRACTS = 24


@tagged("post_install", "-at_install")
class TestConcurrentBillingRuns(BaseCase):
    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _create_contracts(self, env):
        unit = env["coworking.unit"].create({"name": "Concurrent billing unit"})
        plan = env["coworking.plan"].create(
            {
                "name": "Concurrent billing desk",
                "unit_id": unit.id,
                "recurring_price": 300.0,
                "benefits_start": "signup",
                "is_published": False,
                "quota_ids": [(0, 0, {"name": "Prints", "quantity": 5})],
            }
        )
        company = env.company
        pricelist = env["product.pricelist"].create(
            {"name": "Concurrent billing", "currency_id": company.currency_id.id}
        )
        partner = env["res.partner"].create({"name": "Concurrent Member"})
        today = company._coworking_today()
        contracts = env["sale.subscription"].create(
            [
                {
                    "partner_id": partner.id,
                    "coworking_plan_id": plan.id,
                    "coworking_unit_id": unit.id,
                    "template_id": plan.subscription_template_id.id,
                    "pricelist_id": pricelist.id,
                    "date_start": today,
                    "coworking_benefits_state": "active",
                    "sale_subscription_line_ids": [
                        (0, 0, {"product_id": plan.product_id.id, "price_unit": 300})
                    ],
                }
                for _i in range(CONTRACTS)
            ]
        )
        for contract in contracts:
            contract.action_start_subscription()
        contracts.write({"recurring_next_date": today})
        return contracts.ids, today

    def _run_until_done(self, env, barrier, billed, replays, errors):
        try:
            with env.cr:
                barrier.wait(timeout=30)
                for _call in range(100):
                    try:
                        done = env["sale.subscription"]._cron_coworking_billing(
                            batch_size=3
                        )
                        env.cr.commit()
                    except psycopg2.errors.SerializationFailure:
                        # what the cron machinery does: the batch is tried again
                        env.cr.rollback()
                        env.invalidate_all()
                        replays.append(1)
                        continue
                    billed.append(done)
                    if not done:
                        return
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    def test_two_runs_at_once_bill_each_contract_once(self):
        db = sql_db.db_connect(get_db_name())
        with db.cursor() as cr:
            contract_ids, today = self._create_contracts(self._env(cr))
        barrier = threading.Barrier(2)
        billed, replays, errors = [], [], []
        # environments are made here: the test runner holds the registry's lock
        envs = [self._env(db.cursor()) for _i in range(2)]
        threads = [
            threading.Thread(
                target=self._run_until_done,
                args=(env, barrier, billed, replays, errors),
            )
            for env in envs
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        self.assertFalse(errors)
        with db.cursor() as cr:
            env = self._env(cr)
            contracts = env["sale.subscription"].browse(contract_ids)
            try:
                for contract in contracts:
                    invoices = contract.invoice_ids.filtered(
                        lambda m: m.coworking_period_start == today
                    )
                    self.assertEqual(len(invoices), 1, contract.name)
                    self.assertEqual(
                        len(
                            contract.coworking_quota_ids.filtered(
                                lambda q: q.period_start == today
                            )
                        ),
                        1,
                    )
                self.assertEqual(sum(billed), CONTRACTS, "each billed by one run")
            finally:
                contracts.write({"in_progress": False})
                contracts.invoice_ids.button_draft()
                contracts.invoice_ids.button_cancel()
