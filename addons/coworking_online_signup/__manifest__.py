# Copyright 2026 Coworking Online Signup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Coworking Online Signup",
    "summary": "Coworking plans, units, quotas and contracts, sold from a public link",
    "version": "18.0.1.0.0",
    "development_status": "Alpha",
    "category": "Sales/Subscriptions",
    "website": "https://github.com/coworking-br/coworking-online-signup",
    "author": "Coworking Online Signup contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "subscription_oca",
        "account_payment",
        "website",
        "portal",
        "uom",
    ],
    "external_dependencies": {"python": ["qrcode", "python-stdnum"]},
    "data": [
        "security/coworking_security.xml",
        "security/ir.model.access.csv",
        "security/coworking_rules.xml",
        "data/coworking_plan_data.xml",
        "data/ir_config_parameter_data.xml",
        "data/mail_template_data.xml",
        "views/coworking_unit_views.xml",
        "views/coworking_plan_views.xml",
        "views/coworking_quota_views.xml",
        "views/sale_subscription_views.xml",
        "views/res_config_settings_views.xml",
        "views/coworking_signup_submission_views.xml",
        "views/coworking_signup_templates.xml",
        "views/coworking_menus.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "coworking_online_signup/static/src/scss/signup.scss",
            "coworking_online_signup/static/src/js/signup_form.js",
        ],
        "web.assets_tests": [
            "coworking_online_signup/static/tests/tours/*.js",
        ],
    },
    "demo": ["demo/coworking_demo.xml"],
}
