# Copyright 2026 Coworking Online Signup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Coworking Contract Signature",
    "summary": "The coworking contract as a PDF, signed by the member with OCA's Sign",
    "version": "18.0.1.1.0",
    "development_status": "Alpha",
    "category": "Sales/Subscriptions",
    "website": "https://github.com/coworking-br/coworking-online-signup",
    "author": "Coworking Online Signup contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "installable": True,
    # Not auto-installed: the operator opts in. It adds a wkhtmltopdf render (about
    # 1.4 s) to every signup's finishing job and e-mails members a document to sign,
    # so installing sign_oca for something else must not switch that on.
    "auto_install": False,
    "depends": ["coworking_online_signup", "sign_oca"],
    "data": [
        "data/sign_oca_role_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "report/contract_document_report.xml",
        "views/coworking_plan_views.xml",
        "views/sale_subscription_views.xml",
        "views/res_config_settings_views.xml",
        "views/coworking_portal_templates.xml",
    ],
    "demo": ["demo/coworking_demo.xml"],
}
