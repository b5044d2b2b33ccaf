# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.payment_br_base.controllers import helpers

_logger = logging.getLogger(__name__)


class InterBrController(http.Controller):
    _process_url = "/payment/inter_br/process"
    _retry_url = "/payment/inter_br/retry"
    _pdf_url = "/payment/inter_br/pdf"
    _boleto_url = "/payment/inter_br/boleto"
    _webhook_url = "/payment/inter_br/webhook"

    def _get_tx_checked(self, tx_id=None, reference=None, access_token=None):
        """Return the tx (sudo) if the access token or the session grant it."""
        return helpers.get_checked_tx(
            "inter_br",
            lambda tx: tx._inter_br_check_access_token(access_token),
            tx_id=tx_id,
            reference=reference,
        )

    @http.route(_process_url, type="http", auth="public", methods=["POST"], csrf=False)
    def inter_br_process(self, reference=None, access_token=None, **_kwargs):
        """Issue the charge of a saved transaction, then show the status page.

        When the bank is down or slow, the transaction is kept with a retry message.
        """
        tx_sudo = self._get_tx_checked(reference=reference, access_token=access_token)
        tx_sudo._inter_br_try_issue_charge()
        return helpers.show_status_page(tx_sudo)

    @http.route(_retry_url, type="http", auth="public", methods=["POST"])
    def inter_br_retry(self, tx_id=None, access_token=None, **_kwargs):
        """Issue again a charge the bank could not take (status page button)."""
        tx_sudo = self._get_tx_checked(tx_id=tx_id, access_token=access_token)
        tx_sudo._inter_br_try_issue_charge()
        return helpers.show_status_page(tx_sudo)

    @http.route(
        f"{_boleto_url}/<int:tx_id>", type="http", auth="public", methods=["GET"]
    )
    def inter_br_boleto(self, tx_id, access_token=None, **_kwargs):
        """A stable link to the boleto (e-mails, thank-you pages): monitor the
        transaction in this session and show the payment status page."""
        tx_sudo = self._get_tx_checked(tx_id=tx_id, access_token=access_token)
        tx_sudo._inter_br_refresh_if_unregistered()
        return helpers.show_status_page(tx_sudo)

    @http.route(f"{_pdf_url}/<int:tx_id>", type="http", auth="public", methods=["GET"])
    def inter_br_pdf(self, tx_id, access_token=None, **_kwargs):
        """Serve the boleto PDF fetched from Inter, after checking access."""
        tx_sudo = self._get_tx_checked(tx_id=tx_id, access_token=access_token)
        if not tx_sudo.provider_reference:
            raise NotFound()
        try:
            pdf = tx_sudo._inter_br_get_pdf()
        except ValidationError as error:
            _logger.info("Boleto PDF of %s unavailable: %s", tx_sudo.reference, error)
            return request.make_response(
                str(error),
                headers=[("Content-Type", "text/plain; charset=utf-8")],
                status=503,
            )
        filename = f"boleto-{tx_sudo.inter_br_seu_numero or tx_sudo.id}.pdf".replace(
            "/", "-"
        )
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", str(len(pdf))),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )

    @http.route(
        f"{_webhook_url}/<int:provider_id>/<string:secret>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def inter_br_webhook(self, provider_id, secret, **_kwargs):
        """Process the notifications sent by Inter.

        The URL holds the provider's secret. The body is a JSON array of charges;
        each item is only a hint, the charge being read back from the API.

        :return: An empty response to acknowledge the notification.
        """
        provider_sudo = helpers.get_notified_provider(
            provider_id, secret, "inter_br", "inter_br_webhook_secret", _logger
        )
        data = helpers.get_json_body()
        items = data if isinstance(data, list) else [data]
        # Not the whole body: it may carry the payer's data (LGPD).
        _logger.info(
            "Notification received from Banco Inter for the charges %s",
            [item.get("codigoSolicitacao") for item in items if isinstance(item, dict)],
        )
        tx_model = request.env["payment.transaction"].sudo()
        for item in items:
            if not isinstance(item, dict):
                continue
            tx_sudo = tx_model._inter_br_search_from_notification(item)
            if not tx_sudo or tx_sudo.provider_id != provider_sudo:
                _logger.info(
                    "Banco Inter notification for an unknown charge %s (%s); ignored",
                    item.get("codigoSolicitacao"),
                    item.get("seuNumero"),
                )
                continue
            try:
                with request.env.cr.savepoint():
                    tx_sudo._handle_notification_data("inter_br", item)
            except ValidationError:  # Acknowledge anyway; the poll will check again.
                _logger.exception(
                    "Unable to handle the notification data; skipping to acknowledge"
                )
        return request.make_response("", status=200)
