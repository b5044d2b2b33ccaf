# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.http import request

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing

from .. import const

_logger = logging.getLogger(__name__)


class PixBrController(http.Controller):
    def _get_tx_checked(self, access_token, tx_id=None, reference=None):
        """Return the PIX transaction (sudo) if the access token grants it.

        :raise NotFound: If there is no such PIX transaction.
        :raise Forbidden: If the access token is wrong or missing.
        """
        tx_model = request.env["payment.transaction"].sudo()
        if tx_id:
            tx_sudo = tx_model.browse(int(tx_id)).exists()
        else:
            tx_sudo = tx_model.search([("reference", "=", reference or "")], limit=1)
        if not tx_sudo or tx_sudo.provider_code != "pix_br":
            raise NotFound()
        if not payment_utils.check_access_token(
            access_token, tx_sudo.id, tx_sudo.reference
        ):
            raise Forbidden()
        return tx_sudo

    @http.route(
        const.PROCESS_ROUTE, type="http", auth="public", methods=["POST"], csrf=False
    )
    def pix_br_process(self, reference=None, access_token=None, **_kwargs):
        """Make the BR Code of a saved transaction, set it pending and show the status
        page (the redirect form posts here; the access token protects it)."""
        tx_sudo = self._get_tx_checked(access_token, reference=reference)
        tx_sudo._handle_notification_data("pix_br", {"reference": tx_sudo.reference})
        PaymentPostProcessing.monitor_transaction(tx_sudo)
        return request.redirect("/payment/status")

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
