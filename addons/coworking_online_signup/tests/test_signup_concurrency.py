# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A double click sends the same form twice at the same moment (B2).

Odoo's test cases run in one uncommitted transaction, where two requests can never
overlap. Here two real transactions, on two connections, submit the same form at
once, each replayed on a serialization failure as Odoo replays every request: the
second waits on the first's one-time token, gets a serialization failure when the
first commits, is replayed and returns the first signup.

The records are committed and stay in the throwaway test database; they belong to
an unpublished plan of their own and a CPF no other test uses.
"""

import threading
import time

import psycopg2

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name

CPF = "447.712.782-02"


@tagged("post_install", "-at_install")
class TestConcurrentDoubleSubmit(BaseCase):
    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _form(self, token):
        return {
            "client_type": "individual",
            "name": "Clara Concorrente",
            "email": f"clara.{token}@example.com",
            "phone": "(11) 91234-5678",
            "cpf": CPF,
            "terms_accepted": "1",
            "submission_token": token,
        }

    def _submit_with_replay(self, env, plan_id, values, replays, hold=0.0):
        """What Odoo does with each request (``odoo.service.model.retrying``, which
        cannot run in a thread during tests: it needs the registry's lock): run,
        commit; on a serialization failure roll back and run again."""
        for _attempt in range(5):
            try:
                submission = env["coworking.signup"]._create_signup(
                    env["coworking.plan"].browse(plan_id),
                    dict(values),
                    {},
                    ip_address="198.51.100.77",
                )
                time.sleep(hold)  # the first click's transaction is still open...
                env.cr.commit()
                return submission.id
            except psycopg2.errors.SerializationFailure:
                replays.append(env.cr)
                env.cr.rollback()
                env.invalidate_all()
                time.sleep(0.05)
        raise AssertionError("still failing after 5 tries")

    def test_double_click_creates_one_signup(self):
        db = sql_db.db_connect(get_db_name())
        with db.cursor() as cr:
            env = self._env(cr)
            unit = env["coworking.unit"].create({"name": "Concurrency unit"})
            plan = env["coworking.plan"].create(
                {
                    "name": "Concurrency desk",
                    "unit_id": unit.id,
                    "recurring_price": 500.0,
                    "benefits_start": "signup",
                    "is_published": False,
                }
            )
            token = "double-click-" + plan.access_token[:20]
            values = env["coworking.signup"]._prepare_form_values(self._form(token))
            plan_id = plan.id
        barrier = threading.Barrier(2)
        results, errors = [], []
        # environments are made here: the test runner holds the registry's lock
        cursors = [db.cursor() for _i in range(2)]
        envs = [self._env(cr) for cr in cursors]

        replays = []

        def submit(env, first):
            try:
                with env.cr:
                    barrier.wait(timeout=30)
                    if not first:
                        time.sleep(0.2)  # ... when the second click arrives
                    results.append(
                        self._submit_with_replay(
                            env, plan_id, values, replays, hold=1.0 if first else 0.0
                        )
                    )
            except Exception as error:  # reported by the assertion below
                errors.append(error)

        threads = [
            threading.Thread(target=submit, args=(env, index == 0))
            for index, env in enumerate(envs)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(errors)
        self.assertEqual(len(results), 2)
        self.assertEqual(results[0], results[1], "both clicks get the first signup")
        self.assertEqual(len(replays), 1, "the second click was replayed once")
        with db.cursor() as cr:
            env = self._env(cr)
            domain = [("plan_id", "=", plan_id)]
            self.assertEqual(env["coworking.signup.submission"].search_count(domain), 1)
            contracts = [("coworking_plan_id", "=", plan_id)]
            self.assertEqual(env["sale.subscription"].search_count(contracts), 1)
            contract = env["sale.subscription"].search(contracts)
            self.assertEqual(contract.partner_id.vat, CPF)
            self.assertEqual(
                env["res.partner"].search_count(
                    [
                        (
                            "coworking_vat_digits",
                            "=",
                            CPF.replace(".", "").replace("-", ""),
                        )
                    ]
                ),
                1,
            )
            self.assertEqual(
                env["sale.order"].search_count(
                    [("order_subscription_id", "=", contract.id)]
                ),
                1,
            )


@tagged("post_install", "-at_install")
class TestConcurrentThrottle(BaseCase):
    """Two posts from one address at the same moment cannot both slip past the
    throttle: the second is made to replay and then sees the first's count."""

    ADDRESS = "198.51.100.201"

    def test_concurrent_posts_cannot_slip_past(self):
        db = sql_db.db_connect(get_db_name())
        first_cr, second_cr = db.cursor(), db.cursor()
        first = api.Environment(first_cr, SUPERUSER_ID, {})
        second = api.Environment(second_cr, SUPERUSER_ID, {})
        outcome = {}
        try:
            first["ir.config_parameter"].set_param(
                "coworking_online_signup.throttle_limit", 1
            )
            first_cr.commit()
            # both transactions have begun before either counts
            second_cr.execute("SELECT 1")
            self.assertFalse(first["coworking.signup.throttle"]._hit(self.ADDRESS))

            def hit():
                try:
                    outcome["first try"] = second["coworking.signup.throttle"]._hit(
                        self.ADDRESS
                    )
                except psycopg2.errors.SerializationFailure:
                    outcome["first try"] = "replay"
                    second_cr.rollback()
                    outcome["replay"] = second["coworking.signup.throttle"]._hit(
                        self.ADDRESS
                    )

            thread = threading.Thread(target=hit)
            thread.start()
            time.sleep(0.5)  # the second waits on the first's row...
            first_cr.commit()  # ... until the first commits
            thread.join(timeout=30)
            self.assertEqual(outcome["first try"], "replay")
            self.assertTrue(outcome["replay"], "the second post is over the limit")
        finally:
            for cr in (first_cr, second_cr):
                cr.rollback()
            first["coworking.signup.throttle"].search([]).unlink()
            first["ir.config_parameter"].set_param(
                "coworking_online_signup.throttle_limit", 10
            )
            first_cr.commit()
            first_cr.close()
            second_cr.close()
