# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import logging
import re
import secrets
import time
import unicodedata

from PIL import Image

from odoo import Command, _, api, fields, models
from odoo.tools import consteq
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.misc import hmac as hmac_tool

from odoo.addons.payment_br_base.utils import format_cnpj, format_cpf

from ..validation import normalize_cep, normalize_cnpj, normalize_cpf, normalize_email

_logger = logging.getLogger(__name__)

# Form keys that may reach the database; everything else in a POST is ignored
# (prices, fees and quotas always come from the plan).
TEXT_FIELDS = (
    "client_type",
    "name",
    "email",
    "phone",
    "cpf",
    "company_name",
    "cnpj",
    "zip",
    "street",
    "street_number",
    "street2",
    "district",
    "city",
    "state_code",
    "provider_id",
    "terms_accepted",
    "submission_token",
)
# Form values kept while a signup waits for its proof of identity (never passwords).
HELD_VALUE_KEYS = tuple(key for key in TEXT_FIELDS if key != "submission_token")
ADDRESS_FIELDS = ("zip", "street", "street_number", "district", "city", "state_code")
PHONE_RE = re.compile(r"^\+?[\d\s().-]{10,20}$")
MIN_PASSWORD_LENGTH = 8
# Longest value kept from any text field of the form; longer ones are refused.
MAX_FIELD_LENGTH = 256
# The one-time form token: "<nonce>.<issued at, base 36>.<signature>", made and
# signed by the server when it renders the form (B2, B7).
FORM_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,43}\.[0-9a-z]{1,10}\.[0-9a-f]{64}$")
FORM_TOKEN_MAX_AGE = 2 * 24 * 3600
# An uploaded image is refused above this many pixels, before anything decodes it.
MAX_IMAGE_PIXELS = 40_000_000
FILENAME_UNSAFE_RE = re.compile(r"[^\w .()+-]+")


class CoworkingSignup(models.AbstractModel):
    """The online signup service: validate a form, then create everything at once.

    Never reads ``request``: the controller passes plain values and files, so tests
    drive it directly. Every method is a ``_prepare_*``/``_validate_*``/``_create_*``
    step a module can override.
    """

    _name = "coworking.signup"
    _description = "Coworking Online Signup Service"

    # Form
    @api.model
    def _prepare_form_values(self, form):
        """Keep the allow-listed keys, as stripped strings."""
        values = {key: self._prepare_text(form.get(key)) for key in TEXT_FIELDS}
        for key in ("password", "password_confirm"):
            value = form.get(key)
            values[key] = value if isinstance(value, str) else ""
        values["honeypot"] = self._prepare_text(form.get("website_url"))
        if values["client_type"] not in ("individual", "company"):
            values["client_type"] = ""
        return values

    @api.model
    def _prepare_text(self, value):
        """A form value as a clean one-line string: anything but a string (a file in
        a text field, a repeated key) is empty; control characters are dropped.
        Over-long values are kept whole so that validation refuses them."""
        if not isinstance(value, str):
            return ""
        value = "".join(char for char in value if unicodedata.category(char)[0] != "C")
        return value.strip()

    # One-time form token
    @api.model
    def _make_form_token(self, plan, nonce=None):
        """A one-time token for one rendered form of ``plan``, signed by the server."""
        nonce = nonce or secrets.token_urlsafe(24)
        issued = self._to_base36(int(time.time()))
        return f"{nonce}.{issued}.{self._sign_form_token(plan, nonce, issued)}"

    @api.model
    def _sign_form_token(self, plan, nonce, issued):
        return hmac_tool(
            self.env(su=True), "coworking_signup_form", f"{plan.id}:{nonce}:{issued}"
        )

    @staticmethod
    def _to_base36(number):
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        out = ""
        while True:
            number, rest = divmod(number, 36)
            out = digits[rest] + out
            if not number:
                return out

    @api.model
    def _is_valid_form_token(self, plan, token):
        """Made by this server for this plan, and not older than two days."""
        if not isinstance(token, str) or not FORM_TOKEN_RE.match(token):
            return False
        nonce, issued, signature = token.split(".")
        if not consteq(signature, self._sign_form_token(plan, nonce, issued)):
            return False
        age = time.time() - int(issued, 36)
        return -300 <= age <= FORM_TOKEN_MAX_AGE

    @api.model
    def _get_signup_providers(self, plan):
        """Providers the visitor may choose for ``plan``: those that can take its
        first payment (a bank's minimum and maximum charge)."""
        amount = plan.monthly_price + plan.setup_fee
        providers = self.env["payment.provider"]._get_coworking_signup_providers(
            plan.company_id
        )
        if plan.sudo().payment_ids:  # the plan's own choice, in its order
            providers = plan.sudo().payment_ids.provider_id.filtered(
                lambda p: p in providers
            )
        return providers.filtered(
            lambda p: p._br_amount_allowed(amount, plan.currency_id)
        )

    @api.model
    def _get_provider(self, plan, values):
        provider_id = values.get("provider_id") or ""
        providers = self._get_signup_providers(plan)
        if not provider_id:  # nothing to choose from when there is one
            return providers if len(providers) == 1 else providers.browse()
        if provider_id.isdigit() and int(provider_id) in providers.ids:
            return providers.browse(int(provider_id))
        return providers.browse()

    @api.model
    def _get_brazil_states(self):
        return (
            self.env["res.country.state"]
            .sudo()
            .search([("country_id", "=", self.env.ref("base.br").id)], order="code")
        )

    # Validation
    @api.model
    def _validate_signup(self, plan, values, files, current_user=None):
        """Return ``{field: message}`` for everything wrong; empty when valid."""
        errors = {}
        self._validate_client(plan, values, errors)
        self._validate_contact(values, errors, current_user, plan=plan)
        provider = self._get_provider(plan, values)
        if not provider:
            errors["provider_id"] = _("Choose how you want to pay.")
        self._validate_address(values, errors, provider, plan=plan)
        self._validate_password(plan, values, errors)
        self._validate_documents(plan, files, errors)
        self._validate_lengths(values, errors)
        if not self._is_valid_form_token(plan, values.get("submission_token")):
            errors["form"] = _("This form has expired. Please send it again.")
        if not values.get("terms_accepted"):
            errors["terms_accepted"] = _(
                "Please read and accept the terms to continue."
            )
        return errors

    @api.model
    def _validate_lengths(self, values, errors):
        for key in TEXT_FIELDS:
            if len(values.get(key) or "") > MAX_FIELD_LENGTH:
                errors[key] = _(
                    "This field is too long (at most %(count)s characters).",
                    count=MAX_FIELD_LENGTH,
                )

    @api.model
    def _validate_client(self, plan, values, errors):
        client_type = values.get("client_type")
        if client_type == "individual" and not plan.allow_individual:
            errors["client_type"] = _("This plan is for companies only.")
        elif client_type == "company" and not plan.allow_company:
            errors["client_type"] = _("This plan is for individuals only.")
        elif not client_type:
            errors["client_type"] = _(
                "Tell us whether you sign up as a person or a company."
            )
        if client_type == "individual":
            if not normalize_cpf(values.get("cpf")):
                errors["cpf"] = _("Enter a valid CPF (11 digits).")
        elif client_type == "company":
            if not values.get("company_name"):
                errors["company_name"] = _("Enter the company's legal name.")
            if not normalize_cnpj(values.get("cnpj")):
                errors["cnpj"] = _(
                    "Enter a valid CNPJ (14 characters, e.g. 12.345.678/0001-95 "
                    "or 12.ABC.345/01DE-35)."
                )

    @api.model
    def _validate_contact(self, values, errors, current_user=None, plan=None):
        if len(values.get("name", "")) < 3:
            errors["name"] = _("Enter your full name.")
        email = normalize_email(values.get("email"))
        if not email:
            errors["email"] = _("Enter a valid e-mail address.")
        elif self._email_belongs_to_other_user(email, current_user):
            errors["email"] = _(
                "This e-mail already has an account with us. Log in first, then "
                "open this link again."
            )
            errors["login_required"] = "1"
        ask_phone = plan.ask_phone if plan else "required"
        if ask_phone == "hidden":
            values["phone"] = ""  # not asked: nothing typed is kept
            return
        if ask_phone == "optional" and not values.get("phone"):
            return
        if not PHONE_RE.match(values.get("phone", "")) or not (
            10 <= len(re.sub(r"\D", "", values.get("phone", ""))) <= 13
        ):
            errors["phone"] = _(
                "Enter a phone number with area code, e.g. (11) 91234-5678."
            )

    @api.model
    def _email_belongs_to_other_user(self, email, current_user=None):
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search(
                ["|", ("login", "=ilike", email), ("email", "=ilike", email)], limit=1
            )
        )
        return bool(users) and users != current_user

    @api.model
    def _validate_address(self, values, errors, provider, plan=None):
        provider_needs = bool(provider) and provider._coworking_requires_address()
        ask_address = plan.ask_address if plan else "optional"
        if ask_address == "hidden" and not provider_needs:
            for key in (*ADDRESS_FIELDS, "street2"):
                values[key] = ""  # not asked: nothing typed is kept
            return
        required = provider_needs or ask_address == "required"
        given = any(values.get(key) for key in ADDRESS_FIELDS)
        if not (required or given):
            return
        if not normalize_cep(values.get("zip")):
            errors["zip"] = _("Enter a valid CEP, e.g. 01310-100.")
        messages = {
            "street": _("Enter the street."),
            "street_number": _("Enter the number."),
            "district": _("Enter the district (bairro)."),
            "city": _("Enter the city."),
        }
        for key, message in messages.items():
            if not values.get(key):
                errors[key] = message
        if values.get("state_code") not in self._get_brazil_states().mapped("code"):
            errors["state_code"] = _("Choose the state (UF).")
        if provider_needs and any(key in errors for key in ADDRESS_FIELDS):
            errors["address"] = _(
                "%(provider)s needs your full address to issue the boleto.",
                provider=provider.name,
            )

    @api.model
    def _validate_password(self, plan, values, errors):
        if not plan.ask_password:
            return
        password = values.get("password", "")
        if len(password) < MIN_PASSWORD_LENGTH:
            errors["password"] = _(
                "Choose a password of at least %(count)s characters.",
                count=MIN_PASSWORD_LENGTH,
            )
        elif len(password) > 128:
            errors["password"] = _("Choose a password of at most 128 characters.")
        elif password != values.get("password_confirm"):
            errors["password_confirm"] = _("The two passwords differ.")

    @api.model
    def _validate_documents(self, plan, files, errors):
        """``files`` maps a plan document id to ``(filename, content bytes)``."""
        total = 0
        for document in plan.document_ids:
            key = f"document_{document.id}"
            filename, content = files.get(document.id) or ("", b"")
            filename = self._clean_filename(filename)
            if not content:
                if document.required:
                    errors[key] = _("Attach %(document)s.", document=document.name)
                continue
            if len(content) > document._get_max_bytes():
                limit = f"{document.max_size_mb:g}"
                errors[key] = _(
                    "%(file)s is too large: the limit is %(size)s MB.",
                    file=filename,
                    size=limit,
                )
                continue
            mimetype = guess_mimetype(content, default="application/octet-stream")
            if mimetype not in document._get_allowed_mimetypes():
                errors[key] = _(
                    "%(file)s is not an accepted file type (%(types)s).",
                    file=filename,
                    types=document._get_allowed_type_labels(),
                )
                continue
            if mimetype.startswith("image/") and not self._is_safe_image(content):
                errors[key] = _(
                    "%(file)s is not an image we can read, or it is too large "
                    "(at most %(count)s million pixels).",
                    file=filename,
                    count=MAX_IMAGE_PIXELS // 1_000_000,
                )
                continue
            total += len(content)

    @api.model
    def _get_documents_over_storage(self, plan, files):
        """The names of the documents sent that the company's storage allowance
        cannot take (F7): the signup goes on without them, the visitor is told to
        send them later and the unit which are missing. Empty when they fit."""
        sent = [d for d in plan.document_ids if (files.get(d.id) or ("", b""))[1]]
        total = sum(len(files[d.id][1]) for d in sent)
        if total and not plan.company_id.sudo()._coworking_storage_allows(total):
            return [document.name for document in sent]
        return []

    @api.model
    def _is_safe_image(self, content):
        """Read only the image's header: its size is known before anything decodes
        the pixels, so a small file cannot expand into gigabytes (B7)."""
        try:
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
        except Exception:  # any unreadable image is refused, never decoded
            return False
        return 0 < width * height <= MAX_IMAGE_PIXELS

    @staticmethod
    def _clean_filename(filename):
        """The file's own name (no folders), printable, bounded."""
        name = re.split(r"[\\/]", filename or "")[-1]
        name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
        name = FILENAME_UNSAFE_RE.sub("_", name).strip(" .")
        return name[-120:] or "document"

    # Creation
    @api.model
    def _find_submission(self, token):
        if not token:
            return self.env["coworking.signup.submission"]
        return (
            self.env["coworking.signup.submission"]
            .sudo()
            .search([("token", "=", token)], limit=1)
        )

    @api.model
    def _is_throttled(self, ip_address):
        """Count this attempt (valid or not) for ``ip_address``; True when it is one
        too many (B7). See ``coworking.signup.throttle``."""
        return self.env["coworking.signup.throttle"]._hit(ip_address)

    @api.model
    def _create_signup(self, plan, values, files, ip_address=None, current_user=None):
        """Create the records of a valid signup, in the current transaction (F5).

        Client, person, confirmed sale order, contract, quotas, documents and portal
        user are created here, so the visitor can pay the sale order at once. The
        first invoice and the e-mails follow right after, outside the visitor's
        request (:meth:`_finish_signup`, run by a cron job this triggers, or by the
        payment confirmation if it comes first).

        A CPF/CNPJ that matches an existing client proves nothing (B1): unless
        ``current_user`` acts for that client, nothing of the client is touched
        and the submission waits for a proof of identity
        (``coworking.signup.submission._coworking_hold_for_identity``).

        Returns the ``coworking.signup.submission``. When the form's one-time token was
        already used, returns the first submission and creates nothing.
        """
        plan = plan.sudo()
        submission = self._create_submission(plan, values, ip_address)
        if submission.contract_id or submission.state != "pending":
            return submission  # the same form again
        service = self._get_signup_service(plan)
        client = service._match_client(plan, values)
        if client and not client._coworking_is_controlled_by(current_user):
            submission._coworking_hold_for_identity(client, values, files)
            return submission
        service._create_signup_records(submission, values, files=files, client=client)
        return submission

    @api.model
    def _create_signup_records(
        self, submission, values, files=None, client=None, attachments=None
    ):
        """Everything a signup creates, for ``client`` (an existing client whose
        control was proven) or a new one. ``attachments`` are documents already
        received (a signup that waited for its proof of identity)."""
        plan = submission.plan_id.sudo()
        service = self._get_signup_service(plan)
        provider = service._get_provider(plan, values)
        client, person = service._create_partners(plan, values, client)
        order = service._create_sale_order(plan, client)
        contract = service._create_contract(plan, client, order, values)
        missing = service._get_documents_over_storage(plan, files or {})
        if attachments:
            attachments.sudo().write({"res_model": "res.partner", "res_id": client.id})
        elif not missing:
            service._attach_documents(plan, client, files or {})
        submission.write(
            {
                "state": "pending",
                "partner_id": client.id,
                "person_id": person.id,
                "contract_id": contract.id,
                "sale_order_id": order.id,
                "provider_id": provider.id,
                "email": normalize_email(values.get("email")),
                "documents_missing": ", ".join(missing) or submission.documents_missing,
            }
        )
        if plan.ask_password and values.get("password"):
            # hashed now (the password never leaves this request); the portal user
            # is made with this hash by the finishing job (F6)
            submission.password_hash = self._hash_password(values["password"])
        self.env.ref("coworking_online_signup.ir_cron_finish_signups").sudo()._trigger()
        _logger.info(
            "Online signup %s: plan %s, contract %s",
            submission.id,
            plan.id,
            contract.id,
        )
        return submission

    @api.model
    def _get_signup_service(self, plan):
        """This service as superuser in the plan's company, creation logs off: the
        signup writes its own note on the client and the contract."""
        env = (
            self.sudo()
            .with_company(plan.company_id)
            .with_context(
                tracking_disable=False,
                mail_create_nosubscribe=True,
                mail_create_nolog=True,
            )
            .env
        )
        return self.with_env(env)

    @api.model
    def _hash_password(self, password):
        """Odoo's own password hash (PBKDF2), as ``res.users`` stores it."""
        return self.env["res.users"]._crypt_context().hash(password)

    @api.model
    def _finish_signup(self, submission):
        """Issue the first invoice and send the e-mails of a signup (idempotent).

        Runs after the signup's transaction, by the ``ir_cron_finish_signups`` job, or
        earlier when the payment of the sale order is confirmed first.
        """
        submission = submission.sudo()
        if submission.state != "pending":
            return submission
        plan = submission.plan_id
        service = self._get_signup_service(plan)
        service._ensure_portal_user(submission)
        service._ensure_first_invoice(submission)
        service._send_signup_mails(plan, submission)
        submission.contract_id._coworking_signup_finished(submission)
        submission.write({"state": "done", "finish_error": False})
        return submission

    @api.model
    def _ensure_first_invoice(self, submission):
        """The signup's first invoice, issued once whoever asks first (the finishing
        job or the payment confirmation): the sale order's row is locked."""
        submission = submission.sudo()
        order = submission.sale_order_id
        if not order or not submission.contract_id:
            return self.env["account.move"]
        self.env.cr.execute(
            "SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [order.id]
        )
        submission.invalidate_recordset(["invoice_id"])
        if submission.invoice_id:
            return submission.invoice_id
        invoice = self._get_signup_service(submission.plan_id)._create_first_invoice(
            submission.plan_id, order, submission.contract_id
        )
        submission.invoice_id = invoice
        return invoice

    @api.model
    def _create_submission(self, plan, values, ip_address):
        """Claim the form's one-time token; return the existing claim if any.

        ``INSERT ... ON CONFLICT DO NOTHING``: when a concurrent request with the same
        token committed after this transaction began, PostgreSQL raises a
        serialization failure and Odoo replays the request, which then finds the
        first submission and returns its result (B2).
        """
        Submission = self.env["coworking.signup.submission"].sudo()
        token = values.get("submission_token") or ""
        existing = self._find_submission(token)
        if existing:
            return existing
        self.env.cr.execute(
            """
            INSERT INTO coworking_signup_submission
                (token, plan_id, state, create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, 'pending', %s, %s,
                    now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (token) DO NOTHING
            RETURNING id
            """,
            [token, plan.id, self.env.uid, self.env.uid],
            # a serialization failure is the expected answer to a concurrent
            # double submit: Odoo replays the request, no need to log it as an error
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        if not row:
            return self._find_submission(token)
        submission = Submission.browse(row[0])
        submission.write(
            {
                "plan_id": plan.id,
                "ip_address": ip_address,
                "terms_version": plan.terms_version,
            }
        )
        return submission

    @api.model
    def _prepare_address_values(self, values):
        if not any(values.get(key) for key in ADDRESS_FIELDS):
            return {}
        state = self._get_brazil_states().filtered(
            lambda s: s.code == values.get("state_code")
        )[:1]
        street = values["street"]
        if values.get("street_number"):
            street = f"{street}, {values['street_number']}"
        street2 = " - ".join(
            v for v in (values.get("street2"), values.get("district")) if v
        )
        return {
            "street": street,
            "street2": street2 or False,
            "city": values.get("city"),
            "zip": normalize_cep(values.get("zip")),
            "state_id": state.id,
            "country_id": self.env.ref("base.br").id,
        }

    @api.model
    def _match_client(self, plan, values):
        """The existing client with the typed CPF/CNPJ, if any (B1)."""
        if values.get("client_type") == "company":
            key, is_company = normalize_cnpj(values.get("cnpj")), True
        else:
            key, is_company = normalize_cpf(values.get("cpf")), False
        if not key:
            return self.env["res.partner"]
        return self.env["res.partner"]._coworking_find_by_tax_id(
            plan.company_id, key, is_company
        )

    @api.model
    def _create_partners(self, plan, values, client=None):
        """The client (person or company) and the person who signed up.

        ``client`` is an existing client whose control was proven, or empty: a new
        client is created then, even when another has the same CPF/CNPJ (the
        operator kept them separate; Odoo's partner merge joins them later)."""
        client = client or self.env["res.partner"]
        Partner = self.env["res.partner"].sudo()
        email = normalize_email(values["email"])
        contact = {
            "name": values["name"],
            "email": email,
            "phone": values["phone"],
            "lang": self.env.lang
            if self.env["res.lang"]._lang_get(self.env.lang)
            else False,
        }
        address = self._prepare_address_values(values)
        if values["client_type"] == "company":
            digits = normalize_cnpj(values["cnpj"])
            if client:
                client.write({k: v for k, v in address.items() if not client[k]})
            else:
                client = Partner.create(
                    {
                        "name": values["company_name"],
                        "is_company": True,
                        "vat": format_cnpj(digits),
                        "email": email,
                        "phone": values["phone"],
                        "country_id": self.env.ref("base.br").id,
                        **address,
                    }
                )
            person = client.child_ids.filtered(lambda p: p.email == email)[:1]
            if not person:
                person = Partner.create(
                    {**contact, "parent_id": client.id, "type": "contact", **address}
                )
            return client, person
        digits = normalize_cpf(values["cpf"])
        if client:
            client.write(
                {k: v for k, v in {**contact, **address}.items() if not client[k]}
            )
        else:
            client = Partner.create(
                {
                    **contact,
                    "vat": format_cpf(digits),
                    "country_id": self.env.ref("base.br").id,
                    **address,
                }
            )
        return client, client

    @api.model
    def _prepare_order_lines(self, plan):
        lines = [
            Command.create(
                {
                    "product_id": plan.product_id.id,
                    "product_uom_qty": 1,
                    "price_unit": plan.monthly_price,
                }
            )
        ]
        if not plan.currency_id.is_zero(plan.setup_fee):
            lines.append(
                Command.create(
                    {
                        "product_id": plan._get_setup_fee_product().id,
                        "name": _("Setup fee - %(plan)s", plan=plan.name),
                        "product_uom_qty": 1,
                        "price_unit": plan.setup_fee,
                    }
                )
            )
        return lines

    @api.model
    def _create_sale_order(self, plan, client):
        order = (
            self.env["sale.order"]
            .sudo()
            .with_context(coworking_signup=True)
            .create(
                {
                    "partner_id": client.id,
                    "company_id": plan.company_id.id,
                    "pricelist_id": self._get_contract_pricelist(plan, client).id,
                    "origin": _("Online signup: %(plan)s", plan=plan.name),
                    "order_line": self._prepare_order_lines(plan),
                }
            )
        )
        # prices are the plan's, whatever a pricelist says
        for line in order.order_line:
            is_plan = line.product_id == plan.product_id
            line.price_unit = plan.monthly_price if is_plan else plan.setup_fee
        order.with_context(coworking_signup=True).action_confirm()
        return order

    @api.model
    def _get_contract_pricelist(self, plan, client, order=None):
        """A pricelist in the plan's currency (subscription_oca needs one; the sale
        and the invoice take their currency from it). Prices still come from the
        plan."""
        order = order or self.env["sale.order"]
        currency = plan.currency_id
        for pricelist in (order.pricelist_id, client.property_product_pricelist):
            if pricelist and pricelist.currency_id == currency:
                return pricelist
        Pricelist = self.env["product.pricelist"].sudo()
        pricelist = Pricelist.search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "in", (plan.company_id.id, False)),
            ],
            limit=1,
        )
        return pricelist or Pricelist.create(
            {
                "name": _("Coworking (%(currency)s)", currency=currency.name),
                "currency_id": currency.id,
                "company_id": plan.company_id.id,
            }
        )

    @api.model
    def _create_contract(self, plan, client, order, values):
        today = plan.company_id._coworking_today()
        contract = (
            self.env["sale.subscription"]
            .sudo()
            .create(
                {
                    "partner_id": client.id,
                    "company_id": plan.company_id.id,
                    "template_id": plan.subscription_template_id.id,
                    "pricelist_id": self._get_contract_pricelist(
                        plan, client, order
                    ).id,
                    "date_start": today,
                    "recurring_next_date": today,
                    "sale_order_id": order.id,
                    "plan_id": plan.id,
                    "unit_id": plan.unit_id.id,
                    "signup_origin": "online",
                    "deposit_amount": 0.0,
                    "terms_version": plan.terms_version,
                    "terms_accepted_on": fields.Datetime.now(),
                    "benefits_state": "active"
                    if plan.benefits_start == "signup"
                    else "held",
                    "sale_subscription_line_ids": [
                        Command.create(
                            {
                                "product_id": plan.product_id.id,
                                "product_uom_qty": 1,
                                "price_unit": plan.monthly_price,
                            }
                        )
                    ],
                }
            )
        )
        contract.action_start_subscription()
        # the first period is invoiced from the sale order: the contract's own
        # invoicing starts one period later, on the due day
        contract.recurring_next_date = contract._coworking_next_due_date(today)
        contract._coworking_load_quotas(
            period_start=today,
            state="active" if plan.benefits_start == "signup" else "held",
        )
        order.order_subscription_id = contract
        return contract

    @api.model
    def _create_first_invoice(self, plan, order, contract):
        """Plan + setup fee, whole first period (no pro-rata), due on signup day."""
        invoice = order.with_context(coworking_signup=True)._create_invoices()
        today = contract.date_start
        invoice.write(
            {
                "subscription_id": contract.id,
                "invoice_date": today,
                "invoice_date_due": today,
                "invoice_origin": contract.name,
            }
        )
        invoice.action_post()
        return invoice

    @api.model
    def _attach_documents(self, plan, record, files, res_model="res.partner"):
        """The visitor's documents, on the client (``record``) or on a signup that
        waits for its proof of identity."""
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment.browse()
        for document in plan.document_ids:
            filename, content = files.get(document.id) or ("", b"")
            if not content:
                continue
            attachments |= Attachment.create(
                {
                    "name": f"{document.name} - {self._clean_filename(filename)}",
                    "mimetype": guess_mimetype(content),
                    "datas": base64.b64encode(content),
                    "res_model": res_model,
                    "res_id": record.id,
                    "company_id": plan.company_id.id,
                    "description": _("Sent with the online signup"),
                }
            )
        return attachments

    @api.model
    def _ensure_portal_user(self, submission):
        """Portal access with the password chosen at signup (F6), made once by the
        finishing job from the kept hash; dormant until payment when the benefits
        wait for it (F2). A person who already has a user keeps it, and only a
        user created here is ever activated by the payment."""
        submission = submission.sudo()
        plan, person = submission.plan_id, submission.person_id
        if submission.user_id or not plan.ask_password or not person:
            return submission.user_id
        existing = person.with_context(active_test=False).user_ids[:1]
        login = submission.email or person.email
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        if (
            existing
            or not submission.password_hash
            or Users.search_count([("login", "=ilike", login)], limit=1)
        ):
            # a returning client keeps the access they have; a login taken since
            # the form was validated is left to the operator
            submission.write({"user_id": existing.id, "password_hash": False})
            return existing
        user = self._create_portal_user(plan, person, login)
        if submission.contract_id.benefits_state == "held":
            user.active = False
        user._set_encrypted_password(user.id, submission.password_hash)
        submission.write(
            {"user_id": user.id, "user_created": True, "password_hash": False}
        )
        return user

    @api.model
    def _create_portal_user(self, plan, person, login):
        return (
            self.env["res.users"]
            .sudo()
            .with_context(no_reset_password=True)
            ._create_user_from_template(
                {
                    "login": login,
                    "partner_id": person.id,
                    "company_id": plan.company_id.id,
                    "company_ids": [Command.set(plan.company_id.ids)],
                }
            )
        )

    @api.model
    def _send_signup_mails(self, plan, submission):
        """Tell the unit (F4) and welcome the member (F15), through the mail queue."""
        contract = submission.contract_id
        addresses = plan.unit_id._get_notification_email_list()
        if addresses:
            template = self.env.ref(
                "coworking_online_signup.mail_template_unit_notification"
            )
            template.sudo().with_context(
                documents_missing=submission.documents_missing
            ).send_mail(
                contract.id,
                email_values={"email_to": ",".join(addresses), "recipient_ids": []},
            )
        welcome = self.env.ref("coworking_online_signup.mail_template_member_welcome")
        contract.with_context(
            lang=submission.person_id.lang, mail_notify_force_send=False
        ).message_post_with_source(
            welcome,
            partner_ids=submission.person_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        body = _(
            "Online signup: contract %(contract)s for %(plan)s. Welcome e-mail sent to "
            "%(email)s.",
            contract=contract.name,
            plan=plan.name,
            email=submission.person_id.email,
        )
        submission.partner_id.message_post(body=body, subtype_xmlid="mail.mt_note")
