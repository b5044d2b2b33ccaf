# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from werkzeug.exceptions import Forbidden

from odoo import _, http
from odoo.exceptions import ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)


class CieloBrController(http.Controller):
    _pay_url = "/payment/cielo_br/pay"

    @http.route(_pay_url, type="json", auth="public", methods=["POST"])
    def cielo_br_pay(
        self,
        reference,
        access_token,
        brand,
        card_token=None,
        payment_token=None,
        **unexpected,
    ):
        """Pay a transaction of the payment form with the token the browser got from
        Cielo's Silent Order Post. Only Cielo's token, the brand and the transaction
        come here: any other field (a card number, a security code) is refused
        without being read, logged or echoed."""
        if unexpected:
            _logger.info(
                "Cielo pay route: refused %d unexpected fields", len(unexpected)
            )
            raise ValidationError(
                _("The card must be sent to Cielo, not to this site.")
            )
        tx_sudo = (
            request.env["payment.transaction"]
            .sudo()
            .search(
                [("reference", "=", reference), ("provider_code", "=", "cielo_br")],
                limit=1,
            )
        )
        if not tx_sudo or not tx_sudo._cielo_br_check_access_token(access_token):
            raise Forbidden()
        tx_sudo._cielo_br_pay_with_browser_token(
            brand, card_token=card_token, payment_token=payment_token
        )
        return {"state": tx_sudo.state}
