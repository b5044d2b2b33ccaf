# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class CoworkingCommon(TransactionCase):
    """Builds its own unit, plan, quotas, users and client (no demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.user = new_test_user(
            cls.env,
            login="cw_user",
            groups="coworking_online_signup.group_coworking_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.manager = new_test_user(
            cls.env,
            login="cw_manager",
            groups="coworking_online_signup.group_coworking_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.unit = cls.env["coworking.unit"].create(
            {
                "name": "Unit Test",
                "notification_emails": "desk@example.com, boss@example.com",
            }
        )
        cls.plan = cls.env["coworking.plan"].create(
            {
                "name": "Fixed desk",
                "unit_id": cls.unit.id,
                "recurring_price": 800.0,
                "setup_fee": 100.0,
                "quota_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Meeting room hours",
                            "quantity": 10,
                            "uom_id": cls.env.ref("uom.product_uom_hour").id,
                        },
                    ),
                    (0, 0, {"name": "Prints", "quantity": 100}),
                ],
            }
        )
        cls.room_line, cls.prints_line = cls.plan.quota_ids
        cls.client = cls.env["res.partner"].create(
            {"name": "Maria Silva", "email": "maria@example.com"}
        )

    @classmethod
    def _new_member_and_stranger(cls, login, name, stranger_login):
        """Two portal users (password = login): a member, and someone else who
        must see nothing of the member's contracts."""
        return tuple(
            new_test_user(
                cls.env, login=user_login, groups="base.group_portal", **extra
            )
            for user_login, extra in ((login, {"name": name}), (stranger_login, {}))
        )

    @classmethod
    def _new_contract(cls, start=date(2026, 2, 7), plan=None, **values):
        plan = plan or cls.plan
        vals = {
            "partner_id": cls.client.id,
            "coworking_plan_id": plan.id,
            "coworking_unit_id": plan.unit_id.id,
            "template_id": plan.subscription_template_id.id,
            "pricelist_id": cls.env["product.pricelist"]
            .search([("currency_id", "=", cls.env.company.currency_id.id)], limit=1)
            .id
            or cls.env["product.pricelist"]
            .create({"name": "Test", "currency_id": cls.env.company.currency_id.id})
            .id,
            "date_start": start,
            "sale_subscription_line_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": plan.product_id.id,
                        "price_unit": plan.recurring_price,
                    },
                )
            ],
        }
        vals.update(values)
        return cls.env["sale.subscription"].create(vals)
