# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A client of BACEN's Pix API (immediate charges, webhooks), without Odoo's ORM.

Written once for every PSP: a PSP is a configuration (host, token path, path prefix,
how the token call authenticates, headers a webhook registration needs) plus the account
holder's credentials. Every call, the token call included, uses mutual
TLS with the client certificate, and a timeout. OAuth2 tokens (client credentials) are
kept in memory, per host, client and scope set, until shortly before they expire.
"""

import logging
import time

import requests

from odoo.addons.payment_br_base import bank_client

_logger = logging.getLogger(__name__)

TIMEOUT = 30
TOKEN_EXPIRY_MARGIN = 60
SCOPE_COB_READ = "cob.read"
SCOPE_COB_WRITE = "cob.write"
SCOPE_WEBHOOK_WRITE = "webhook.write"
# The only status a receiver may set on a charge ("Revisar cobrança imediata").
COB_STATUS_REMOVED_BY_RECEIVER = "REMOVIDA_PELO_USUARIO_RECEBEDOR"
UNAVAILABLE_STATUSES = (429, 500, 502, 503, 504)

# How the token call carries the credentials: in the form body with the scope (RFC 6749
# section 2.3.1's second way, Inter), or as HTTP Basic with a JSON body and no scope,
# the token then holding every scope of the application (Efí).
TOKEN_AUTH_FORM = "form"
TOKEN_AUTH_BASIC_JSON = "basic_json"

# By (base_url, client_id, scope); each client passes its own clock.
_token_cache = bank_client.TokenCache(TOKEN_EXPIRY_MARGIN)


class BacenPixError(Exception):
    """The PSP refused the request; `str()` is a readable summary of its problem."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class BacenPixUnavailable(BacenPixError):
    """The PSP cannot be reached or is unavailable: try again later."""


def clear_token_cache(base_url=None):
    _token_cache.clear(None if base_url is None else lambda key: key[0] == base_url)


class BacenPixClient:
    def __init__(
        self,
        base_url,
        token_path,
        path_prefix,
        client_id,
        client_secret,
        cert_pem,
        key_pem,
        ca_pem=None,
        now=time.time,
        token_auth=TOKEN_AUTH_FORM,
        webhook_headers=None,
    ):
        self.base_url = base_url.rstrip("/")
        self.token_path = token_path
        self.path_prefix = (path_prefix or "").rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.cert_pem = cert_pem
        self.key_pem = key_pem
        self.ca_pem = ca_pem
        self.now = now
        self.token_auth = token_auth
        self.webhook_headers = dict(webhook_headers or {})

    # === Charges (cob) and webhooks === #

    def put_cob(self, txid, body):
        return self.request("PUT", f"/cob/{txid}", SCOPE_COB_WRITE, body)

    def get_cob(self, txid):
        return self.request("GET", f"/cob/{txid}", SCOPE_COB_READ)

    def remove_cob(self, txid):
        """Remove an ATIVA charge (`PATCH /cob/{txid}` with only its status: the
        spec refuses a removal that carries other changes). The PSP refuses it
        (400) when the charge is no longer ATIVA, CONCLUIDA (paid) included."""
        return self.request(
            "PATCH",
            f"/cob/{txid}",
            SCOPE_COB_WRITE,
            {"status": COB_STATUS_REMOVED_BY_RECEIVER},
        )

    def put_webhook(self, key, url):
        return self.request(
            "PUT",
            f"/webhook/{key}",
            SCOPE_WEBHOOK_WRITE,
            {"webhookUrl": url},
            headers=self.webhook_headers,
        )

    # === HTTP === #

    def _send(self, method, url, **kwargs):
        with bank_client.tls_files(
            self.cert_pem, self.key_pem, self.ca_pem, prefix="pix_br_"
        ) as (cert, verify):
            try:
                return requests.request(
                    method, url, cert=cert, verify=verify, timeout=TIMEOUT, **kwargs
                )
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout):
                _logger.exception("Unable to reach the PSP at %s", url)
                raise BacenPixUnavailable("connection failed") from None

    def get_token(self, scope):
        """An OAuth2 token for `scope`, from the cache while it stays valid for
        `TOKEN_EXPIRY_MARGIN` more seconds (only the scopes a call needs are asked:
        an application may not hold them all)."""
        # A token of the Basic/JSON kind holds every scope: one serves them all.
        key = (
            self.base_url,
            self.client_id,
            scope if self.token_auth == TOKEN_AUTH_FORM else None,
        )
        cached = _token_cache.get(key, now=self.now())
        if cached:
            return cached
        if self.token_auth == TOKEN_AUTH_BASIC_JSON:
            response = self._send(
                "POST",
                self.base_url + self.token_path,
                auth=(self.client_id, self.client_secret),
                json={"grant_type": "client_credentials"},
            )
        else:
            response = self._send(
                "POST",
                self.base_url + self.token_path,
                data={
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "grant_type": "client_credentials",
                    "scope": scope,
                },
            )
        content = self._json(response)
        if not response.ok or not content.get("access_token"):
            self._raise(response, content)
        _token_cache.put(
            key, content["access_token"], content.get("expires_in"), now=self.now()
        )
        return content["access_token"]

    def request(self, method, path, scope, payload=None, headers=None):
        """Call the Pix API; return its JSON answer (a dict).

        :raise BacenPixUnavailable: If the PSP cannot be reached or is unavailable.
        :raise BacenPixError: If the PSP refuses the request.
        """
        url = self.base_url + self.path_prefix + path
        for attempt in (1, 2):
            response = self._send(
                method,
                url,
                json=payload,
                headers={
                    **(headers or {}),
                    "Authorization": f"Bearer {self.get_token(scope)}",
                },
            )
            if response.status_code == 401 and attempt == 1:
                clear_token_cache(self.base_url)  # revoked or expired early: renew
                continue
            break
        content = self._json(response)
        if not response.ok:
            # The payload holds the payer's data: only its keys are logged.
            _logger.warning(
                "The PSP answered %s to %s %s (payload keys: %s)",
                response.status_code,
                method,
                url,
                sorted(payload or {}),
            )
            self._raise(response, content)
        return content

    @staticmethod
    def _json(response):
        try:
            content = response.json() if response.content else {}
        except ValueError:
            content = {}
        return content if isinstance(content, dict) else {}

    @staticmethod
    def _raise(response, content):
        """Raise the PSP's problem (RFC 7807: title, detail, violacoes)."""
        violations = "; ".join(
            f"{v.get('propriedade', '')}: {v.get('razao', '')}"
            for v in content.get("violacoes") or []
            if isinstance(v, dict)
        )
        title = str(content.get("title") or response.reason or "")
        detail = str(content.get("detail") or "")
        parts = (f"HTTP {response.status_code}", title, detail, violations)
        message = " ".join(
            dict.fromkeys(part for part in parts if part)  # once each, in order
        )
        error_class = (
            BacenPixUnavailable
            if response.status_code in UNAVAILABLE_STATUSES
            else BacenPixError
        )
        raise error_class(message, status=response.status_code)
