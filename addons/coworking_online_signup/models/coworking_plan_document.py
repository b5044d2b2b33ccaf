# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import re
import unicodedata

from PIL import Image

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.mimetypes import guess_mimetype

# File kinds a plan may ask for: key -> (label, accepted MIME types)
DOCUMENT_TYPES = {
    "pdf": ("PDF", ("application/pdf",)),
    "jpeg": ("JPEG", ("image/jpeg",)),
    "png": ("PNG", ("image/png",)),
}
# An uploaded image is refused above this many pixels, before anything decodes it.
MAX_IMAGE_PIXELS = 40_000_000
FILENAME_UNSAFE_RE = re.compile(r"[^\w .()+-]+")


def clean_filename(filename):
    """The file's own name (no folders), printable, bounded."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = FILENAME_UNSAFE_RE.sub("_", name).strip(" .")
    return name[-120:] or "document"


def is_safe_image(content):
    """Read only the image's header: its size is known before anything decodes the
    pixels, so a small file cannot expand into gigabytes (B7)."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
    except Exception:  # any unreadable image is refused, never decoded
        return False
    return 0 < width * height <= MAX_IMAGE_PIXELS


# What a plan's documents may add up to: all of them are sent in the signup's one
# request, which the server refuses over this plus a margin for the form's fields
# (controllers/main.py, MAX_SIGNUP_REQUEST_BYTES).
MAX_DOCUMENTS_TOTAL_MB = 60


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

    @api.constrains("max_size_mb", "plan_id")
    def _check_total_size(self):
        """A plan's documents fit in one signup request together: a visitor who
        sends every one at its largest must get the form's answer, not the
        server's bare refusal of a request too large."""
        for plan in self.plan_id:
            total = sum(plan.document_ids.mapped("max_size_mb"))
            if total > MAX_DOCUMENTS_TOTAL_MB:
                in_all = f"{total:g}"
                raise ValidationError(
                    _(
                        "The documents of plan %(plan)s may add up to at most "
                        "%(total)s MB, sent together in one signup: lower their "
                        "maximum sizes (now %(sum)s MB in all).",
                        plan=plan.name,
                        total=MAX_DOCUMENTS_TOTAL_MB,
                        sum=in_all,
                    )
                )

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

    def _coworking_check_upload(self, filename, content):
        """What is wrong with this file sent for this document, or None.

        The type is the sniffed one, never the name's or the browser's; an image's
        size is read from its header only."""
        self.ensure_one()
        filename = clean_filename(filename)
        if not content:
            if self.required:
                return _("Attach %(document)s.", document=self.name)
            return None
        if len(content) > self._get_max_bytes():
            limit = f"{self.max_size_mb:g}"
            return _(
                "%(file)s is too large: the limit is %(size)s MB.",
                file=filename,
                size=limit,
            )
        mimetype = guess_mimetype(content, default="application/octet-stream")
        if mimetype not in self._get_allowed_mimetypes():
            return _(
                "%(file)s is not an accepted file type (%(types)s).",
                file=filename,
                types=self._get_allowed_type_labels(),
            )
        if mimetype.startswith("image/") and not is_safe_image(content):
            return _(
                "%(file)s is not an image we can read, or it is too large "
                "(at most %(count)s million pixels).",
                file=filename,
                count=MAX_IMAGE_PIXELS // 1_000_000,
            )
        return None

    def _coworking_prepare_attachment_values(self, filename, content):
        self.ensure_one()
        return {
            "name": f"{self.name} - {clean_filename(filename)}",
            "mimetype": guess_mimetype(content),
            "raw": content,
            "company_id": self.company_id.id,
            "description": _("Sent with the online signup"),
        }
