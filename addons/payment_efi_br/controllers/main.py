# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.payment_br_base.controllers import helpers

from .. import const
from ..exceptions import EfiBrUnavailableError

_logger = logging.getLogger(__name__)


class EfiBrController(http.Controller):
    _process_url = "/payment/efi_br/process"
    _retry_url = "/payment/efi_br/retry"
    _boleto_url = "/payment/efi_br/boleto"
    _notification_url = "/payment/efi_br/notification"

    def _get_tx_checked(self, access_token, tx_id=None, reference=None):
        """Return the transaction (sudo) if the access token or the session grant it."""
        return helpers.get_checked_tx(
            "efi_br",
            lambda tx: tx._efi_br_check_access_token(access_token),
            tx_id=tx_id,
            reference=reference,
        )

    @http.route(_process_url, type="http", auth="public", methods=["POST"], csrf=False)
    def efi_br_process(self, reference=None, access_token=None, **_kwargs):
        """Issue the charge of a saved transaction, then show the status page; when
        Efí is down, the transaction is kept with a retry message."""
        tx_sudo = self._get_tx_checked(access_token, reference=reference)
        tx_sudo._efi_br_try_issue_charge()
        return helpers.show_status_page(tx_sudo)

    @http.route(_retry_url, type="http", auth="public", methods=["POST"])
    def efi_br_retry(self, tx_id=None, access_token=None, **_kwargs):
        """Issue again a charge Efí could not take (status page button)."""
        tx_sudo = self._get_tx_checked(access_token, tx_id=tx_id)
        tx_sudo._efi_br_try_issue_charge()
        return helpers.show_status_page(tx_sudo)

    @http.route(
        f"{_boleto_url}/<int:tx_id>", type="http", auth="public", methods=["GET"]
    )
    def efi_br_boleto(self, tx_id, access_token=None, **_kwargs):
        """A stable link to the boleto (e-mails): monitor the transaction in this
        session and show the status page. Reads only."""
        tx_sudo = self._get_tx_checked(access_token, tx_id=tx_id)
        return helpers.show_status_page(tx_sudo)

    @http.route(
        f"{_notification_url}/<int:provider_id>/<string:secret>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def efi_br_notification(self, provider_id, secret, notification=None, **_kwargs):
        """Efí POSTs a `notification` token; the changes are read back from Efí
        (`GET /v1/notification/:token`), so the POST itself is trusted for nothing.

        :return: 200 once the token is read (or unknown at Efí); 503 when Efí cannot
                 be reached, so that Efí sends it again.
        """
        provider_sudo = helpers.get_notified_provider(
            provider_id, secret, "efi_br", "efi_br_notification_secret", _logger
        )
        if not notification:
            raise BadRequest()
        try:
            content = provider_sudo._efi_br_make_request(
                const.NOTIFICATION_ENDPOINT.format(token=notification)
            )
        except EfiBrUnavailableError:
            return request.make_response("", status=503)
        except ValidationError:
            _logger.info("Efí does not know the notification token; ignored")
            return request.make_response("", status=200)
        entries = [e for e in content.get("data") or [] if isinstance(e, dict)]
        tx_model = request.env["payment.transaction"].sudo()
        for entry in sorted(entries, key=lambda e: int(e.get("id") or 0)):
            if entry.get("type", "charge") != "charge":
                continue
            tx_sudo = tx_model._efi_br_search_from_entry(entry)
            if not tx_sudo or tx_sudo.provider_id != provider_sudo:
                _logger.info(
                    "Efí notification for an unknown charge %s; ignored",
                    (entry.get("identifiers") or {}).get("charge_id"),
                )
                continue
            tx_sudo._handle_notification_data("efi_br", entry)
        return request.make_response("", status=200)
