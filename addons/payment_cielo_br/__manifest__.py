# Copyright 2026 Coworking Online Signup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Payment Provider: Cielo",
    "summary": "Credit card through Cielo's e-commerce API 3.0: the card saved as a "
    "token (tokenised in the browser) and the monthly invoices charged on it",
    "version": "18.0.1.0.0",
    "development_status": "Alpha",
    "category": "Accounting/Payment Providers",
    "website": "https://github.com/coworking-br/coworking-online-signup",
    "author": "Coworking Online Signup contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "installable": True,
    "depends": ["payment_br_base", "account_payment"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "views/payment_cielo_br_templates.xml",
        "views/payment_provider_views.xml",
        "views/account_move_views.xml",
        "data/payment_provider_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "payment_cielo_br/static/src/js/payment_form.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
}
