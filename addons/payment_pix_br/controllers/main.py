# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment_br_base.controllers import helpers

from .. import const

_logger = logging.getLogger(__name__)


class PixBrController(http.Controller):
    def _get_tx_checked(self, access_token, tx_id=None, reference=None):
        """Return the PIX transaction (sudo) if the access token grants it.

        :raise NotFound: If there is no such PIX transaction.
        :raise Forbidden: If the access token is wrong or missing.
        """
        return helpers.get_checked_tx(
            "pix_br",
            lambda tx: payment_utils.check_access_token(
                access_token, tx.id, tx.reference
            ),
            tx_id=tx_id,
            reference=reference,
            session=False,
        )

    @http.route(
        const.PROCESS_ROUTE, type="http", auth="public", methods=["POST"], csrf=False
    )
    def pix_br_process(self, reference=None, access_token=None, **_kwargs):
        """Make the BR Code of a saved transaction, set it pending and show the status
        page (the redirect form posts here; the access token protects it)."""
        tx_sudo = self._get_tx_checked(access_token, reference=reference)
        tx_sudo._br_issue_charge()  # Unreachable PSP: draft, kept for a retry.
        return helpers.show_status_page(tx_sudo)

    @http.route(
        f"{const.PAGE_ROUTE}/<int:tx_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def pix_br_page(self, tx_id, access_token=None, **_kwargs):
        """A stable page with the BR Code (e-mails, thank-you pages). Reads only."""
        tx_sudo = self._get_tx_checked(access_token, tx_id=tx_id)
        return request.render("payment_pix_br.pix_page", {"tx": tx_sudo})

    @http.route(
        [
            f"{const.WEBHOOK_ROUTE}/<int:provider_id>/<string:secret>",
            f"{const.WEBHOOK_ROUTE}/<int:provider_id>/<string:secret>/pix",
        ],
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def pix_br_webhook(self, provider_id, secret, **_kwargs):
        """Process the PSP's notification of received PIX (`{"pix": [...]}`).

        The URL holds the provider's secret (the PSP appends `/pix`). Each item is only
        a hint: its charge is read back from the PSP before anything changes.

        :return: An empty response to acknowledge the notification.
        """
        provider_sudo = helpers.get_notified_provider(
            provider_id, secret, "pix_br", "pix_br_webhook_secret", _logger
        )
        data = helpers.get_json_body()
        items = data.get("pix") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise BadRequest()
        tx_model = request.env["payment.transaction"].sudo()
        for item in items:
            txid = item.get("txid") if isinstance(item, dict) else None
            tx_sudo = txid and tx_model.search(
                [
                    ("provider_id", "=", provider_sudo.id),
                    ("pix_br_txid", "=", txid),
                ],
                limit=1,
            )
            if not tx_sudo:
                _logger.info("PIX notification for an unknown txid; ignored")
                continue
            try:
                with request.env.cr.savepoint():
                    tx_sudo._handle_notification_data("pix_br", {"txid": txid})
            except ValidationError:  # Acknowledge anyway; the operator can re-check.
                _logger.exception("Unable to handle the PIX notification of %s", txid)
        return request.make_response("", status=200)
