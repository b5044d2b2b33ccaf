# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
import secrets
import time
import unicodedata

from odoo import _, api, models
from odoo.tools import consteq
from odoo.tools.misc import hmac as hmac_tool

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
        amount = plan.recurring_price + plan.setup_fee
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
        for document in plan.document_ids:
            filename, content = files.get(document.id) or ("", b"")
            message = document._coworking_check_upload(filename, content)
            if message:
                errors[f"document_{document.id}"] = message

    # Orchestration
    @api.model
    def _create_signup(self, plan, values, files, ip_address=None, current_user=None):
        """Create the records of a valid signup, in the current transaction (F5).

        Client, person, confirmed sale order, contract, quotas and documents are
        created here, so the visitor can pay the sale order at once. The portal
        user, the first invoice and the e-mails follow right after, outside the
        visitor's request (``coworking.signup.submission._coworking_finish``, run by
        a cron job this triggers, or by the payment confirmation if it comes first).

        A CPF/CNPJ that matches an existing client proves nothing (B1): unless
        ``current_user`` acts for that client, nothing of the client is touched
        and the submission waits for a proof of identity
        (``coworking.signup.submission._coworking_hold_for_identity``).

        Returns the ``coworking.signup.submission``. When the form's one-time token was
        already used, returns the first submission and creates nothing.

        The signup's entry point: superuser is taken here, once, in the plan's
        company (``_get_signup_service``); every model called from here gets
        records of that environment.
        """
        service = self._get_signup_service(plan)
        plan = plan.with_env(service.env)
        submission = service.env["coworking.signup.submission"]._coworking_claim(
            plan, values.get("submission_token") or "", ip_address
        )
        if submission.contract_id or submission.state != "pending":
            return submission  # the same form again
        client = service.env["res.partner"]._coworking_match_signup(plan, values)
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
        control was proven) or a new one, each record by the model that owns it.
        ``attachments`` are documents already received (a signup that waited for
        its proof of identity). Runs in the service's environment."""
        plan = submission.plan_id
        provider = self._get_provider(plan, values)
        client, person = self.env["res.partner"]._coworking_create_from_signup(
            plan, values, client
        )
        order = plan._coworking_create_sale_order(client)
        contract = plan._coworking_create_contract(client, order)
        missing = plan._coworking_documents_over_storage(files or {})
        if attachments:
            attachments.write({"res_model": "res.partner", "res_id": client.id})
        elif not missing:
            plan._coworking_attach_documents(client, files or {})
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
            submission.password_hash = submission._coworking_hash_password(
                values["password"]
            )
        self.env.ref("coworking_online_signup.ir_cron_finish_signups")._trigger()
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
