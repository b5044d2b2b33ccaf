# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: the fields this addon adds to sale.subscription take the
``coworking_`` prefix (``sign_state`` -> ``coworking_sign_state``...)."""

from odoo.addons.coworking_online_signup.migration import rename_fields

RENAMES = {
    "sale.subscription": {
        name: f"coworking_{name}"
        for name in (
            "contract_document_id",
            "contract_document_hash",
            "sign_request_id",
            "sign_state",
            "sign_sent_on",
            "sign_reminder_sent_on",
            "sign_refused_on",
            "sign_queued",
            "signed_document_id",
            "signed_document_hash",
            "signed_by",
            "signed_on",
            "signed_ip",
        )
    }
}


def migrate(cr, version):
    if version:
        rename_fields(cr, "coworking_contract_sign", RENAMES)
