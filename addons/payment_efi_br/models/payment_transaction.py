# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines because one file holds one model (OCA): the payment flow hooks, the
# payer as Efí requires it, issuing once (lock, lookup after a lost answer), statuses,
# payment_br_base's hooks, cancelling at Efí and the scheduled check of pending boletos.

import logging
import re
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount

from odoo.addons.payment_br_base.utils import (
    normalize_cep,
    normalize_cnpj,
    normalize_cpf,
    split_phone,
    to_centavos,
)

from .. import const
from ..exceptions import EfiBrUnavailableError

_logger = logging.getLogger(__name__)

PROCESS_URL = "/payment/efi_br/process"
# Efí's patterns: a full name (two words at least), a mobile or landline phone.
NAME_RE = re.compile(r"^\s*(\S+\s+)+\S+\s*$")
PHONE_RE = re.compile(r"^[1-9]{2}9?[0-9]{8}$")


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    efi_br_status = fields.Char(string="Efí Charge Status", readonly=True, copy=False)
    efi_br_due_date = fields.Date(string="Efí Due Date", readonly=True, copy=False)
    efi_br_barcode = fields.Char(string="Efí Digitable Line", readonly=True, copy=False)
    efi_br_link = fields.Char(string="Efí Boleto Link", readonly=True, copy=False)
    efi_br_pdf_url = fields.Char(string="Efí Boleto PDF", readonly=True, copy=False)
    efi_br_pix_code = fields.Char(
        string="Efí PIX Copy and Paste", readonly=True, copy=False
    )
    efi_br_pix_qr_image = fields.Text(
        string="Efí PIX QR Code Image", readonly=True, copy=False
    )
    efi_br_retry_needed = fields.Boolean(
        string="Efí Charge To Issue Again",
        help="Efí could not be reached when issuing the charge; it is retried from "
        "the status page and by the scheduled action.",
        readonly=True,
        copy=False,
    )
    efi_br_issue_attempted = fields.Boolean(
        string="Issue Attempted At Efí", readonly=True, copy=False
    )
    efi_br_last_poll = fields.Datetime(
        string="Last Checked At Efí", readonly=True, copy=False
    )
    efi_br_last_event_id = fields.Integer(
        string="Last Efí Notification Entry",
        help="The id of the last entry of Efí's notification history applied: an "
        "entry read again (a replayed notification) changes nothing.",
        readonly=True,
        copy=False,
    )

    # === PAYMENT FLOW === #

    def _get_specific_processing_values(self, processing_values):
        """Override of `payment` to check the amount and the payer's data before
        calling Efí (a clear message, no request)."""
        res = super()._get_specific_processing_values(processing_values)
        if self.provider_code != "efi_br":
            return res
        self._efi_br_check_amount()
        self._efi_br_prepare_customer()
        return res

    def _get_specific_rendering_values(self, processing_values):
        """Override of `payment`: the redirect form posts to our controller, which
        issues the charge once the transaction is saved."""
        res = super()._get_specific_rendering_values(processing_values)
        if self.provider_code != "efi_br":
            return res
        return self._br_redirect_form_values(
            PROCESS_URL, self._efi_br_get_access_token()
        )

    def _get_tx_from_notification_data(self, provider_code, notification_data):
        """Override of `payment` to find the transaction of an entry of Efí's
        notification history, by charge id or by our `custom_id`."""
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code != "efi_br" or len(tx) == 1:
            return tx
        tx = self._efi_br_search_from_entry(notification_data)
        if not tx:
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "No transaction found matching the charge %(charge)s.",
                    charge=(notification_data.get("identifiers") or {}).get(
                        "charge_id"
                    ),
                )
            )
        return tx

    @api.model
    def _efi_br_search_from_entry(self, entry):
        charge_id = (entry.get("identifiers") or {}).get("charge_id")
        domain = [("provider_code", "=", "efi_br")]
        tx = self.browse()
        if charge_id:
            tx = self.search(
                domain + [("provider_reference", "=", str(charge_id))], limit=1
            )
        if not tx and entry.get("custom_id"):
            tx = self.search(
                domain
                + [
                    ("reference", "=", entry["custom_id"]),
                    ("provider_reference", "in", (False, str(charge_id or ""))),
                ],
                limit=1,
            )
        return tx

    def _process_notification_data(self, notification_data):
        """Override of `payment` to apply an entry of Efí's notification history
        (read back from Efí with the notification token, hence trusted). Entries
        already applied are skipped, so a replay changes nothing."""
        super()._process_notification_data(notification_data)
        if self.provider_code != "efi_br":
            return
        entry_id = int(notification_data.get("id") or 0)
        if entry_id and entry_id <= self.efi_br_last_event_id:
            return
        charge_id = (notification_data.get("identifiers") or {}).get("charge_id")
        if charge_id and not self.provider_reference:
            self.provider_reference = str(charge_id)
        if entry_id:
            self.efi_br_last_event_id = entry_id
        status = (notification_data.get("status") or {}).get("current")
        self._efi_br_apply_status(status, notification_data.get("value"))

    # === CHARGE ISSUE === #

    def _efi_br_get_access_token(self):
        """Return the token that grants access to this transaction's pages."""
        return self._br_access_token("payment_efi_br")

    def _efi_br_check_access_token(self, access_token):
        return self._br_check_access_token(access_token, "payment_efi_br")

    def _efi_br_check_amount(self):
        self.ensure_one()
        if not self.provider_id._br_amount_allowed(self.amount, self.currency_id):
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "Efí issues boletos of %(minimum)s or more, in reais.",
                    minimum=format_amount(
                        self.env,
                        const.MINIMUM_AMOUNT_CENTAVOS / 100,
                        self.env.ref("base.BRL"),
                    ),
                )
            )

    def _efi_br_prepare_customer(self):
        """Return the `customer` of the boleto, as Efí requires it: a person's full
        name and CPF, or a company's name and CNPJ (`juridical_person`); the e-mail,
        the phone and the address are optional and sent only when Efí's formats
        accept them. The messages never repeat the payer's data (LGPD).

        :raise ValidationError: If the name or the CPF/CNPJ is missing or invalid.
        """
        self.ensure_one()
        partner = self.partner_id
        if not partner.vat and partner.commercial_partner_id.vat:
            partner = partner.commercial_partner_id
        cnpj = normalize_cnpj(partner.vat)
        cpf = not cnpj and normalize_cpf(partner.vat)
        if not (cnpj or cpf):
            raise ValidationError(
                const.ERROR_PREFIX
                + _("To issue a boleto, Efí needs the payer's valid CPF or CNPJ.")
            )
        name = " ".join((partner.name or "").split())[: const.TEXT_MAX_LENGTH]
        if cnpj:
            if not name:
                raise ValidationError(
                    const.ERROR_PREFIX + _("Efí needs the company's name.")
                )
            customer = {"juridical_person": {"corporate_name": name, "cnpj": cnpj}}
        else:
            if not NAME_RE.match(name):
                raise ValidationError(
                    const.ERROR_PREFIX
                    + _("Efí needs the payer's full name (first and last name).")
                )
            customer = {"name": name, "cpf": cpf}
        if partner.email and "@" in partner.email:
            customer["email"] = partner.email.strip()
        phone = split_phone(partner.phone or partner.mobile)
        if phone and PHONE_RE.match("".join(phone)):
            customer["phone_number"] = "".join(phone)
        address = self._efi_br_prepare_address(partner)
        if address:
            customer["address"] = address
        return customer

    @api.model
    def _efi_br_prepare_address(self, partner):
        """The `address` of the customer when every field Efí requires in it is
        known (street, number, neighborhood, CEP, city, state); else None."""
        zipcode = normalize_cep(partner.zip)
        match = re.match(
            r"^(.*?),?\s+(?:n[º°o.]*\s*)?(\d+[A-Za-z]?)\s*$", partner.street or ""
        )
        if not (
            zipcode and match and partner.street2 and partner.city and partner.state_id
        ):
            return None
        if partner.country_id and partner.country_id.code != "BR":
            return None
        return {
            "street": match.group(1).strip(" ,"),
            "number": match.group(2),
            "neighborhood": partner.street2.strip(),
            "zipcode": zipcode.replace("-", ""),
            "city": partner.city.strip(),
            "state": partner.state_id.code,
        }

    def _efi_br_get_due_date(self):
        """The due date: kept once a charge was attempted (a retry looks for the same
        charge), else the invoice's when ahead, else in the provider's days."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.efi_br_due_date and self.efi_br_due_date >= today:
            return self.efi_br_due_date
        due_dates = [d for d in self.invoice_ids.mapped("invoice_date_due") if d]
        if due_dates and min(due_dates) >= today:
            return min(due_dates)
        return today + timedelta(days=max(self.provider_id.efi_br_due_days, 0))

    def _efi_br_prepare_payload(self):
        """Return the body of `POST /v1/charge/one-step` (a boleto with PIX)."""
        self.ensure_one()
        self._efi_br_check_amount()
        provider = self.provider_id
        return {
            "items": [
                {
                    "name": (self.reference or "")[: const.TEXT_MAX_LENGTH],
                    "value": to_centavos(self.amount),
                    "amount": 1,
                }
            ],
            "metadata": {
                "custom_id": self.reference,
                "notification_url": provider._efi_br_get_notification_url(),
            },
            "payment": {
                "banking_billet": {
                    "customer": self._efi_br_prepare_customer(),
                    "expire_at": self._efi_br_get_due_date().isoformat(),
                    "configurations": {
                        "days_to_write_off": provider.efi_br_days_to_write_off,
                    },
                }
            },
        }

    def _efi_br_find_issued_charge(self):
        """Return the charge issued by an earlier attempt whose answer was lost (found
        by our `custom_id`), so that a retry never issues a second one."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        result = self.provider_id._efi_br_make_request(
            const.CHARGES_LIST_ENDPOINT,
            params={
                "charge_type": "billet",
                "begin_date": (
                    fields.Date.to_date(self.create_date) - timedelta(days=1)
                ).isoformat(),
                "end_date": (today + timedelta(days=1)).isoformat(),
                "custom_id": self.reference,
            },
        )
        for charge in result.get("data") or []:
            if (
                charge.get("custom_id") == self.reference
                and charge.get("status")
                not in const.TRANSACTION_STATUS_MAPPING["cancel"]
            ):
                return charge.get("charge_id")
        return False

    def _efi_br_issue_charge(self):
        """Issue the boleto with PIX at Efí, once, and set the transaction pending.

        :raise EfiBrUnavailableError: If Efí is down or slow (retry later).
        :raise ValidationError: If the payer's data are incomplete or Efí refuses.
        """
        self.ensure_one()
        if (
            self.provider_code != "efi_br"
            or self.provider_reference
            or self.state != "draft"
            or not self._br_lock_nowait()
        ):
            return
        payload = self._efi_br_prepare_payload()  # Checks the payer first.
        provider = self.provider_id
        charge_id = self.efi_br_issue_attempted and self._efi_br_find_issued_charge()
        if charge_id:
            data = provider._efi_br_make_request(
                const.CHARGE_ENDPOINT.format(charge_id=charge_id)
            ).get("data", {})
        else:
            # Saved before the call: a retry first looks for this charge.
            self.write(
                {
                    "efi_br_issue_attempted": True,
                    "efi_br_due_date": payload["payment"]["banking_billet"][
                        "expire_at"
                    ],
                }
            )
            self.env.flush_all()
            _logger.info("Issuing an Efí boleto for transaction %s", self.reference)
            data = provider._efi_br_make_request(
                const.ONE_STEP_ENDPOINT, method="POST", payload=payload
            ).get("data", {})
        if not data.get("charge_id"):
            raise ValidationError(
                const.ERROR_PREFIX + _("Efí did not return the charge id.")
            )
        self.write(
            {"provider_reference": str(data["charge_id"]), "efi_br_retry_needed": False}
        )
        self._efi_br_apply_charge_data(data)

    def _efi_br_try_issue_charge(self):
        """Issue the charge; when Efí is unavailable, keep the transaction as draft
        with a retry message instead of losing it. Other refusals set it in error.

        :return: Whether the charge is issued.
        """
        self.ensure_one()
        try:
            self._efi_br_issue_charge()
        except EfiBrUnavailableError as error:
            _logger.warning(
                "Efí: transaction %s kept for a retry: %s", self.reference, error
            )
            self.write(
                {
                    "efi_br_retry_needed": True,
                    "state_message": _(
                        "Efí could not be reached to issue your boleto. Your request"
                        " is saved: try again in a few minutes."
                    ),
                }
            )
            return False
        except ValidationError as error:
            self._set_error(str(error))
            return False
        return bool(self.provider_reference)

    # === CHARGE FOLLOW-UP === #

    def _efi_br_apply_charge_data(self, data):
        """Store the boleto of a charge (the one-step answer, or the charge read
        back, whose boleto is under `payment.banking_billet`), then its status."""
        self.ensure_one()
        payment = data.get("payment")  # "banking_billet" in the one-step answer
        billet = (isinstance(payment, dict) and payment.get("banking_billet")) or data
        vals = {}
        for fname, value in (
            ("efi_br_barcode", billet.get("barcode")),
            ("efi_br_link", billet.get("link") or billet.get("billet_link")),
            ("efi_br_pdf_url", (billet.get("pdf") or {}).get("charge")),
            ("efi_br_pix_code", (billet.get("pix") or {}).get("qrcode")),
            ("efi_br_pix_qr_image", (billet.get("pix") or {}).get("qrcode_image")),
            ("efi_br_due_date", billet.get("expire_at")),
        ):
            if value:
                vals[fname] = value
        if not str(vals.get("efi_br_pix_qr_image", "")).startswith("data:image/"):
            vals.pop("efi_br_pix_qr_image", None)  # Shown as an image source only.
        self.write(vals)
        self._efi_br_apply_status(data.get("status"))

    def _efi_br_apply_status(self, status, paid_centavos=None):
        """Update the state from the charge's status at Efí. A payment of less than
        the amount due is never confirmed."""
        self.ensure_one()
        previous = self.efi_br_status
        if status:
            self.efi_br_status = status
        mapping = const.TRANSACTION_STATUS_MAPPING
        if status in mapping["pending"]:
            if self.state == "draft":
                self._set_pending()
        elif status in mapping["done"]:
            if (
                paid_centavos is None
                and previous in mapping["done"]
                and self.state in ("draft", "pending")
            ):
                # The charge read back carries no amount received: an earlier entry
                # that reported too little keeps the payment for a manual check.
                return
            if paid_centavos is not None and int(paid_centavos) < to_centavos(
                self.amount
            ):
                self.state_message = _(
                    "Efí reports %(paid)s received instead of %(amount)s; the payment"
                    " must be checked by hand.",
                    paid=int(paid_centavos) / 100,
                    amount=self.amount,
                )
                return
            # A boleto Efí reported unpaid may still be paid until it is written off:
            # the money is received, so the payment is confirmed.
            if self._set_done(extra_allowed_states=("cancel",)):
                self.env.ref("payment.cron_post_process_payment_tx")._trigger()
        elif status in mapping["cancel"]:
            self._set_canceled(
                state_message=_("The boleto is %(status)s at Efí.", status=status)
            )
        else:
            _logger.warning(
                "Efí charge of transaction %s has an unknown status: %s",
                self.reference,
                status,
            )

    def _efi_br_fetch_entry(self):
        """Read the charge at Efí (`GET /v1/charge/:id`) and return its status as an
        entry of Efí's notification history (without entry id nor amount received,
        which the charge does not carry), for `_handle_notification_data`."""
        self.ensure_one()
        data = (
            self.provider_id._efi_br_make_request(
                const.CHARGE_ENDPOINT.format(charge_id=self.provider_reference)
            ).get("data")
            or {}
        )
        if str(data.get("charge_id")) != self.provider_reference:
            raise ValidationError(
                const.ERROR_PREFIX + _("Efí answered about another charge.")
            )
        return {
            "type": "charge",
            "custom_id": data.get("custom_id"),
            "identifiers": {"charge_id": data["charge_id"]},
            "status": {"current": data.get("status")},
        }

    def _efi_br_check_at_efi(self):
        """Apply the charge's status at Efí through the notification's own path."""
        self.ensure_one()
        self._handle_notification_data("efi_br", self._efi_br_fetch_entry())

    def _efi_br_poll_one(self):
        """Check one pending boleto at Efí; cancel it there when its invoices were
        paid by other means (so that the member does not pay twice)."""
        self.ensure_one()
        self._efi_br_check_at_efi()
        if self.state == "pending" and self._br_invoices_settled():
            self._efi_br_cancel_charge(_("Invoice paid by other means"))

    @api.model
    def _cron_efi_br_poll(self, batch_size=const.POLL_BATCH_SIZE):
        """Fallback for lost notifications: read the pending boletos at Efí, those
        not checked for `const.POLL_INTERVAL_HOURS` first, at most `batch_size` a
        run (Efí limits the calls a day). Each in its own savepoint: one that fails
        is logged, checked again at a later run, and the others go on. Boletos held
        for a manual check (paid below the amount due) are not read again."""
        now = fields.Datetime.now()
        txs = self.search(
            [
                ("provider_code", "=", "efi_br"),
                ("provider_id.state", "in", ("enabled", "test")),
                ("state", "=", "pending"),
                ("provider_reference", "!=", False),
                ("efi_br_status", "not in", const.TRANSACTION_STATUS_MAPPING["done"]),
                "|",
                ("efi_br_last_poll", "=", False),
                (
                    "efi_br_last_poll",
                    "<",
                    now - timedelta(hours=const.POLL_INTERVAL_HOURS),
                ),
            ],
            order="efi_br_last_poll asc nulls first, id",
            limit=batch_size,
        )
        for tx in txs:
            tx.efi_br_last_poll = now
            try:
                with self.env.cr.savepoint():
                    tx._efi_br_poll_one()
            except ValidationError as error:
                _logger.info("Efí: transaction %s not checked: %s", tx.reference, error)
        return txs

    # === CANCEL === #

    def _efi_br_cancel_charge(self, reason):
        """Cancel the boleto at Efí (`PUT /v1/charge/:id/cancel`), then here.

        Efí cancels at once. A draft whose issue was attempted is first looked up at
        Efí (an answer lost must not leave a payable boleto behind). When Efí refuses
        (the boleto was paid meanwhile, or is already cancelled), its status read
        back decides. A boleto printed before it was cancelled can still be paid:
        Efí then reports it paid, and the payment is confirmed.

        :raise EfiBrUnavailableError: If Efí cannot be reached (nothing changes).
        :raise ValidationError: If Efí refuses to cancel a charge still open there.
        """
        self.ensure_one()
        if self.provider_code != "efi_br" or self.state not in ("draft", "pending"):
            return
        if not self._br_lock_nowait():
            raise EfiBrUnavailableError(
                const.ERROR_PREFIX
                + _("The boleto is being issued right now: cancel it again later.")
            )
        charge_id = self.provider_reference
        if not charge_id and self.efi_br_issue_attempted:
            charge_id = self._efi_br_find_issued_charge()
            if charge_id:
                self.provider_reference = str(charge_id)
        if charge_id:
            try:
                self.provider_id._efi_br_make_request(
                    const.CANCEL_ENDPOINT.format(charge_id=charge_id), method="PUT"
                )
            except EfiBrUnavailableError:
                raise
            except ValidationError:
                _logger.info(
                    "Efí refused to cancel the boleto of %s; reading it back",
                    self.reference,
                )
                self._efi_br_check_at_efi()
                if self.state in ("draft", "pending"):
                    raise
                return
            self.efi_br_status = "canceled"
        self.efi_br_retry_needed = False
        self._set_canceled(state_message=reason)

    # === HOOKS OF payment_br_base === #

    def _br_issue_charge(self):
        """Override of `payment_br_base`: issue the boleto (kept for a retry when
        Efí cannot be reached)."""
        if self.provider_code != "efi_br":
            return super()._br_issue_charge()
        return self._efi_br_try_issue_charge()

    def _br_get_charge_url(self):
        """Override of `payment_br_base`: the boleto's status page (digitable line,
        Efí's boleto page and PDF, PIX code)."""
        if self.provider_code != "efi_br":
            return super()._br_get_charge_url()
        return self._efi_br_get_boleto_url()

    def _br_get_expiry_date(self):
        """Override of `payment_br_base`: the boleto's due date."""
        if self.provider_code != "efi_br":
            return super()._br_get_expiry_date()
        return self.efi_br_due_date

    def _br_cancel_charge(self, reason):
        """Override of `payment_br_base`: cancel the boleto at Efí too."""
        if self.provider_code != "efi_br":
            return super()._br_cancel_charge(reason)
        return self._efi_br_cancel_charge(reason)

    # === ACTIONS === #

    @api.model
    def _cron_efi_br_retry(self, batch_size=50):
        """Issue again the charges Efí could not take (the bank was down)."""
        txs = self.search(
            [
                ("provider_code", "=", "efi_br"),
                ("state", "=", "draft"),
                ("efi_br_retry_needed", "=", True),
            ],
            limit=batch_size,
            order="id",
        )
        for tx in txs:
            tx._efi_br_try_issue_charge()

    def action_efi_br_retry(self):
        for tx in self.filtered(
            lambda t: t.provider_code == "efi_br" and t.state == "draft"
        ):
            tx._efi_br_try_issue_charge()

    def action_efi_br_refresh(self):
        """Read the boleto at Efí now."""
        for tx in self.filtered(
            lambda t: t.provider_code == "efi_br" and t.provider_reference
        ):
            tx._efi_br_check_at_efi()

    def action_efi_br_cancel(self):
        """Cancel the boleto at Efí (the operator's cancel)."""
        for tx in self.filtered(lambda t: t.provider_code == "efi_br"):
            tx._br_cancel_charge(_("Cancelled by the seller"))

    # === DISPLAY === #

    def _efi_br_get_boleto_url(self):
        """The link to the status page of this boleto, usable without session."""
        self.ensure_one()
        token = self._efi_br_get_access_token()
        return f"/payment/efi_br/boleto/{self.id}?access_token={token}"
