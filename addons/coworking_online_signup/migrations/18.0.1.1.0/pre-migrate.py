# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: the fields this addon adds to sale.subscription take its prefix
(``plan_id`` -> ``coworking_plan_id``...), and a plan's ``monthly_price`` becomes
``recurring_price`` (the template may not be monthly).

Columns and field metadata are renamed before the module loads, so the data,
filters and exports that point at the fields keep it."""

from odoo.addons.coworking_online_signup.migration import rename_fields

RENAMES = {
    "sale.subscription": {
        "unit_id": "coworking_unit_id",
        "plan_id": "coworking_plan_id",
        "signup_origin": "coworking_signup_origin",
        "due_day": "coworking_due_day",
        "deposit_amount": "coworking_deposit_amount",
        "terms_version": "coworking_terms_version",
        "terms_accepted_on": "coworking_terms_accepted_on",
        "benefits_state": "coworking_benefits_state",
        "signup_provider_id": "coworking_signup_provider_id",
    },
    "coworking.plan": {"monthly_price": "recurring_price"},
}


def migrate(cr, version):
    if not version:
        return
    rename_fields(cr, "coworking_online_signup", RENAMES)
    cr.execute(
        "ALTER TABLE coworking_plan "
        "DROP CONSTRAINT IF EXISTS coworking_plan_monthly_price_positive"
    )
