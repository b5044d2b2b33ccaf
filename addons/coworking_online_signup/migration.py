# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the coworking addons' migration scripts share."""

from odoo.tools import SQL


def rename_fields(cr, module, renames):
    """Rename fields in place: column, field metadata and its xmlids, filters."""
    for model, fields in renames.items():
        table = model.replace(".", "_")
        for old, new in fields.items():
            cr.execute(
                "SELECT 1 FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = %s",
                [table, old],
            )
            if cr.fetchone():
                cr.execute(
                    SQL(
                        "ALTER TABLE %s RENAME COLUMN %s TO %s",
                        SQL.identifier(table),
                        SQL.identifier(old),
                        SQL.identifier(new),
                    )
                )
            cr.execute(
                "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
                [new, model, old],
            )
            cr.execute(
                "UPDATE ir_model_data SET name = %s "
                "WHERE module = %s AND model = 'ir.model.fields' AND name = %s",
                [f"field_{table}__{new}", module, f"field_{table}__{old}"],
            )
            cr.execute(
                "UPDATE ir_model_data SET name = %s || substr(name, %s) "
                "WHERE module = %s AND model = 'ir.model.fields.selection' "
                "AND name LIKE %s",
                [
                    f"selection__{table}__{new}__",
                    len(f"selection__{table}__{old}__") + 1,
                    module,
                    f"selection\\_\\_{table}\\_\\_{old}\\_\\_%",
                ],
            )
            # Saved filters that name the field.
            cr.execute(
                "UPDATE ir_filters SET domain = regexp_replace(domain, %s, %s, 'g'), "
                "context = regexp_replace(context, %s, %s, 'g') WHERE model_id = %s",
                [f"'{old}'", f"'{new}'", f"'{old}'", f"'{new}'", model],
            )
