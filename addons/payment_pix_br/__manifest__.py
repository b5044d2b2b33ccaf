# Copyright 2026 Coworking Online Signup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Payment Provider: PIX",
    "summary": "PIX with a BR Code (QR code and copy and paste): static to the "
    "receiver's own key, or a dynamic charge through BACEN's Pix API",
    "version": "18.0.1.0.0",
    "development_status": "Alpha",
    "category": "Accounting/Payment Providers",
    "website": "https://github.com/coworking-br/coworking-online-signup",
    "author": "Coworking Online Signup contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "installable": True,
    "depends": ["payment_br_base", "account_payment"],
    "external_dependencies": {"python": ["qrcode", "requests"]},
    "data": [
        "views/payment_pix_br_templates.xml",
        "views/payment_provider_views.xml",
        "views/payment_transaction_views.xml",
        "data/payment_provider_data.xml",
        "data/ir_cron_data.xml",
    ],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
}
