# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# File kinds a plan may ask for: key -> (label, accepted MIME types)
DOCUMENT_TYPES = {
    "pdf": ("PDF", ("application/pdf",)),
    "jpeg": ("JPEG", ("image/jpeg",)),
    "png": ("PNG", ("image/png",)),
}


class CoworkingPlanDocument(models.Model):
    _name = "coworking.plan.document"
    _description = "Document Required by a Coworking Plan"
    _order = "plan_id, sequence, id"

    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one(
        "coworking.plan", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    name = fields.Char(
        string="Document",
        required=True,
        translate=True,
        help="e.g. ID card, proof of address, articles of association.",
    )
    required = fields.Boolean(default=True)
    allow_pdf = fields.Boolean(string="PDF", default=True)
    allow_jpeg = fields.Boolean(string="JPEG", default=True)
    allow_png = fields.Boolean(string="PNG", default=True)
    max_size_mb = fields.Float(string="Max size (MB)", default=5.0, required=True)

    _sql_constraints = [
        (
            "max_size_positive",
            "CHECK(max_size_mb > 0 AND max_size_mb <= 20)",
            "A document's maximum size must be greater than zero and at most 20 MB.",
        ),
    ]

    @api.constrains("allow_pdf", "allow_jpeg", "allow_png")
    def _check_types(self):
        for document in self:
            if not document._get_allowed_mimetypes():
                raise ValidationError(
                    _(
                        "Document %(document)s must accept at least one file type.",
                        document=document.name,
                    )
                )

    def _get_allowed_type_labels(self):
        self.ensure_one()
        return ", ".join(
            label
            for key, (label, _types) in DOCUMENT_TYPES.items()
            if self[f"allow_{key}"]
        )

    def _get_max_bytes(self):
        self.ensure_one()
        return int(self.max_size_mb * 1024 * 1024)

    def _get_allowed_mimetypes(self):
        """MIME types accepted for this document (checked on the sniffed content)."""
        self.ensure_one()
        mimetypes = []
        for key, (_label, types) in DOCUMENT_TYPES.items():
            if self[f"allow_{key}"]:
                mimetypes.extend(types)
        return mimetypes
