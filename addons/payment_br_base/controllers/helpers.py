# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the controllers of the Brazilian providers check alike before their own work:
who may open a transaction's public pages, whether a bank's notification carries the
provider's secret, and a JSON body. Each provider's routes stay in its addon."""

import hmac
import logging

from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo.http import request

from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing

_logger = logging.getLogger(__name__)


def get_checked_tx(
    provider_code, check_token, tx_id=None, reference=None, session=True
):
    """Return the transaction (sudo) of ``provider_code`` found by ``tx_id`` or by
    ``reference``, when its access token is right.

    :param callable check_token: Called with the transaction; whether the request's
                                 access token grants it.
    :param bool session: Whether the transaction the payment status page of this
                         session monitors is granted without a token.
    :raise NotFound: If the provider has no such transaction.
    :raise Forbidden: If neither the token nor the session grants it.
    """
    tx_model = request.env["payment.transaction"].sudo()
    if tx_id:
        tx_sudo = tx_model.browse(int(tx_id)).exists()
    else:
        tx_sudo = tx_model.search(
            [
                ("reference", "=", reference or ""),
                ("provider_code", "=", provider_code),
            ],
            limit=1,
        )
    if not tx_sudo or tx_sudo.provider_code != provider_code:
        raise NotFound()
    monitored_id = session and request.session.get(
        PaymentPostProcessing.MONITORED_TX_ID_KEY
    )
    if monitored_id != tx_sudo.id and not check_token(tx_sudo):
        raise Forbidden()
    return tx_sudo


def get_notified_provider(provider_id, secret, provider_code, secret_field, logger):
    """Return the provider (sudo) a bank's notification URL names, when the secret in
    the URL is the provider's (compared in constant time).

    :param str secret_field: The provider's field holding the secret.
    :param logger: The caller's logger, for the warning of a wrong secret.
    :raise Forbidden: If the provider is not of ``provider_code`` or the secret wrong.
    """
    provider_sudo = request.env["payment.provider"].sudo().browse(provider_id).exists()
    expected = (
        provider_sudo[secret_field]
        if provider_sudo and provider_sudo.code == provider_code
        else ""
    )
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        logger.warning(
            "Notification of %s with a wrong secret for provider %s",
            provider_code,
            provider_id,
        )
        raise Forbidden()
    return provider_sudo


def show_status_page(tx_sudo):
    """Monitor the transaction in this session and redirect to Odoo's payment status
    page, which shows it (the boleto, the PIX code, a retry button)."""
    PaymentPostProcessing.monitor_transaction(tx_sudo)
    return request.redirect("/payment/status")


def get_json_body():
    """The request's JSON body. :raise BadRequest: If it is not JSON."""
    try:
        return request.get_json_data()
    except ValueError:
        raise BadRequest() from None
