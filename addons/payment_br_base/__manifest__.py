# Copyright 2026 Coworking Online Signup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Brazilian Payments Base",
    "summary": "CPF, CNPJ (numeric and alphanumeric), CEP, phone and payer data "
    "shared by the Brazilian payment providers",
    "version": "18.0.1.0.0",
    "development_status": "Alpha",
    "category": "Accounting/Payment Providers",
    "website": "https://github.com/coworking-br/coworking-online-signup",
    "author": "Coworking Online Signup contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "installable": True,
    "depends": ["payment"],
    "external_dependencies": {"python": ["qrcode"]},
    "assets": {
        "web.assets_frontend": [
            "payment_br_base/static/src/js/copy_code.js",
        ],
    },
}
