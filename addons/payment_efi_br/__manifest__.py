# Copyright 2026 Coworking Online Signup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Payment Provider: Efí (Gerencianet)",
    "summary": "Boleto with PIX (bolix) through Efí's charges API, and PIX charges "
    "through Efí's Pix API with the PIX provider",
    "version": "18.0.1.0.0",
    "development_status": "Alpha",
    "category": "Accounting/Payment Providers",
    "website": "https://github.com/coworking-br/coworking-online-signup",
    "author": "Coworking Online Signup contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "installable": True,
    "depends": ["account_payment", "payment_br_base", "payment_pix_br"],
    "external_dependencies": {"python": ["requests", "cryptography"]},
    "data": [
        "views/payment_efi_br_templates.xml",
        "views/payment_provider_views.xml",
        "views/payment_transaction_views.xml",
        "data/payment_provider_data.xml",
        "data/ir_cron_data.xml",
    ],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
}
