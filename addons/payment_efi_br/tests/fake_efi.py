# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local fake of Efí for the tests, built from Efí's documentation and its Python
SDK (`efipay`), not from our client.

- `FakeEfiServer`: the charges API (no client certificate, as at Efí): the token
  (`POST /v1/authorize`, HTTP Basic, JSON `grant_type`; tokens live 600 seconds),
  `POST /v1/charge/one-step` (a boleto with PIX, refused as `fake_efi_rules` says),
  `GET /v1/charge/:id`, `PUT /v1/charge/:id/cancel`, `GET /v1/charges` (by
  `custom_id`), and `GET /v1/notification/:token` (the charge's history). Refusals
  carry Efí's error codes (its "Interpretando Erros da API" page): 3500034 for the
  validation of a body, 3500010 for an unknown charge id read, 4600001 for an unknown
  charge cancelled, 3500043 for a cancel of a charge neither new, link, waiting nor
  unpaid (paid, settled, already canceled...), each with HTTP 400. `pay`, `cancel`
  and `unpay` play the payer's and Efí's parts and queue `(url, token)` in
  `notifications`; a boleto cancelled can still be paid (a copy printed before).
- `FakeEfiPixServer`: Efí's Pix API (mutual TLS with the .p12's certificate):
  payment_pix_br's fake PSP with Efí's token (`/oauth/token`, HTTP Basic, JSON body,
  every scope of the application), paths under `/v2`, and a webhook registration
  refused unless `x-skip-mtls-checking` tells Efí that the receiver has no mTLS.
"""

import base64
import datetime
import json
import secrets

from odoo.addons.payment_br_base.tests.fake_https import FakeHttpsServer
from odoo.addons.payment_pix_br.tests.fake_psp import FakePspServer, problem

from .fake_efi_handler import FakeEfiHandler
from .fake_efi_rules import Refused, check_one_step

CLIENT_ID = "Client_Id_fake_efi"
CLIENT_SECRET = "Client_Secret_fake_efi"
TOKEN_LIFETIME = 600


def _basic_ok(headers):
    auth = headers.get("Authorization", "")
    if not auth.startswith("Basic "):
        return False
    try:
        pair = base64.b64decode(auth[6:]).decode()
    except ValueError:
        return False
    return pair == f"{CLIENT_ID}:{CLIENT_SECRET}"


def _error(status, error, description, code=None):
    return status, {
        "code": code or status,
        "error": error,
        "error_description": description,
    }


# Efí's codes and messages; the `error` names of 3500043 and 4600001 are not
# published (our client reads the HTTP status and the description only).
CANCELLABLE = ("new", "link", "waiting", "unpaid")
UNKNOWN_ID = (
    400,
    "property_does_not_exists",
    {"property": "id", "message": "A propriedade [id] informada não existe."},
    3500010,
)
CANCEL_UNKNOWN = (400, "payment_not_found", "Pagamento não encontrado.", 4600001)
CANCEL_REFUSED = (
    400,
    "status_not_cancellable",
    "Apenas transações com status [new],[link],[waiting] ou [unpaid] podem ser"
    " canceladas.",
    3500043,
)


class FakeEfiServer(FakeHttpsServer):
    name = "fake_efi"
    handler_class = FakeEfiHandler
    require_client_cert = False

    def reset(self):
        with self.lock:
            self.tokens = {}  # {token: expires_at}
            self.charges = {}  # {charge_id: charge}
            self.history = {}  # {charge_id: [entry]}
            self.notification_tokens = {}  # {token: (charge_id, entries count)}
            self.notifications = []  # [(notification_url, token)] to deliver
            self.requests = []
            self.fail_next = []
            self.drop_next = False
            self.next_charge_id = 1000
            self.next_entry_id = 1

    def count(self, method, path):
        return sum(1 for m, p in self.requests if m == method and p == path)

    def expire_tokens(self):
        with self.lock:
            self.tokens = {token: 0 for token in self.tokens}

    # --- the API ---

    def dispatch(self, method, path, params, raw, headers):
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return _error(400, "invalid_json", "The body is not JSON.")
        if method == "POST" and path == "/v1/authorize":
            return self._authorize(body, headers)
        auth = headers.get("Authorization", "")
        expires_at = self.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if not expires_at or expires_at < datetime.datetime.now().timestamp():
            return _error(401, "unauthorized", "Token inválido ou expirado.")
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/v1/charge/one-step":
            return self._one_step(body)
        if method == "GET" and parts[:2] == ["v1", "charge"] and len(parts) == 3:
            charge = self.charges.get(parts[2])
            if not charge:
                return _error(*UNKNOWN_ID)
            return 200, {"code": 200, "data": self._detail(charge)}
        if (
            method == "PUT"
            and parts[:2] == ["v1", "charge"]
            and parts[3:] == ["cancel"]
        ):
            return self._cancel(parts[2])
        if method == "GET" and path == "/v1/charges":
            return self._list(params)
        if method == "GET" and parts[:2] == ["v1", "notification"] and len(parts) == 3:
            return self._notification(parts[2])
        return _error(404, "not_found", "Rota não encontrada.")

    def _authorize(self, body, headers):
        if not _basic_ok(headers):
            return _error(401, "invalid_client", "Credenciais inválidas ou inativas.")
        if body != {"grant_type": "client_credentials"}:
            return _error(400, "invalid_request", "grant_type client_credentials.")
        token = secrets.token_hex(16)
        now = datetime.datetime.now().timestamp()
        self.tokens[token] = now + TOKEN_LIFETIME
        return 200, {
            "access_token": token,
            "refresh_token": secrets.token_hex(16),
            "expires_in": TOKEN_LIFETIME,
            "expire_at": str(int((now + TOKEN_LIFETIME) * 1000)),
            "token_type": "Bearer",
        }

    def _one_step(self, body):
        try:
            total = check_one_step(body)
        except Refused as refusal:
            return _error(
                400,
                "validation_error",
                {"property": refusal.prop, "message": refusal.message},
                3500034,
            )
        charge_id = self.next_charge_id
        self.next_charge_id += 1
        billet = body["payment"]["banking_billet"]
        digits = f"{charge_id:011d}"
        emv = (
            "00020101021226830014BR.GOV.BCB.PIX2561"
            f"qrcodes-pix.gerencianet.com.br/bolix/v2/cobv/{digits}"
        )
        charge = {
            "charge_id": charge_id,
            "custom_id": (body.get("metadata") or {}).get("custom_id"),
            "notification_url": (body.get("metadata") or {}).get("notification_url"),
            "status": "waiting",
            "total": total,
            "created_at": datetime.date.today().isoformat(),
            "customer": billet["customer"],
            "barcode": (
                f"36490.00019 {digits[:5]}.{digits[5:]}0 00000.000000 1"
                f" 0000{total:010d}"
            ),
            "link": f"https://fake.efi.example/emissao/{charge_id}",
            "pdf": {"charge": f"https://fake.efi.example/emissao/{charge_id}.pdf"},
            "pix": {
                "qrcode": emv,
                "qrcode_image": "data:image/svg+xml;base64,"
                + base64.b64encode(
                    b"<svg xmlns='http://www.w3.org/2000/svg'/>"
                ).decode(),
            },
            "expire_at": billet["expire_at"],
        }
        self.charges[str(charge_id)] = charge
        self.history[str(charge_id)] = []
        self._change(charge, "new", notify=False)
        self._change(charge, "waiting", notify=False)
        return 200, {
            "code": 200,
            "data": {
                "barcode": charge["barcode"],
                "pix": charge["pix"],
                "link": charge["link"],
                "billet_link": charge["link"],
                "pdf": charge["pdf"],
                "expire_at": charge["expire_at"],
                "charge_id": charge_id,
                "status": "waiting",
                "total": total,
                "payment": "banking_billet",
            },
        }

    def _cancel(self, charge_id):
        charge = self.charges.get(charge_id)
        if not charge:
            return _error(*CANCEL_UNKNOWN)
        if charge["status"] not in CANCELLABLE:
            return _error(*CANCEL_REFUSED)
        self._change(charge, "canceled")
        return 200, {"code": 200}

    @staticmethod
    def _detail(charge):
        return {
            "charge_id": charge["charge_id"],
            "total": charge["total"],
            "status": charge["status"],
            "custom_id": charge["custom_id"],
            "created_at": charge["created_at"],
            "payment": {
                "method": "banking_billet",
                "banking_billet": {
                    key: charge[key]
                    for key in ("barcode", "link", "pdf", "pix", "expire_at")
                },
            },
        }

    def _list(self, params):
        if not (params.get("begin_date") and params.get("end_date")):
            return _error(400, "validation_error", "begin_date e end_date.")
        found = [
            {key: c[key] for key in ("charge_id", "custom_id", "status", "total")}
            for c in self.charges.values()
            if params.get("begin_date") <= c["created_at"] <= params.get("end_date")
            and ("custom_id" not in params or c["custom_id"] == params["custom_id"])
        ]
        return 200, {"code": 200, "data": found}

    def _notification(self, token):
        if token not in self.notification_tokens:
            return _error(404, "notification_not_found", "Notificação não encontrada.")
        charge_id, count = self.notification_tokens[token]
        return 200, {"code": 200, "data": self.history[charge_id][:count]}

    # --- what the payer and Efí do ---

    def _change(self, charge, status, notify=True, value=None):
        key = str(charge["charge_id"])
        previous = charge["status"] if self.history[key] else None
        charge["status"] = status
        entry = {
            "id": self.next_entry_id,
            "type": "charge",
            "custom_id": charge["custom_id"],
            "status": {"current": status, "previous": previous},
            "identifiers": {"charge_id": charge["charge_id"]},
            "created_at": datetime.datetime.now().isoformat(sep=" ")[:19],
        }
        if value is not None:
            entry["value"] = value
            entry["received_by_bank_at"] = datetime.date.today().isoformat()
        self.next_entry_id += 1
        self.history[key].append(entry)
        if notify and charge["notification_url"]:
            token = secrets.token_hex(18)
            self.notification_tokens[token] = (key, len(self.history[key]))
            self.notifications.append((charge["notification_url"], token))
        return entry

    def pay(self, charge_id, value=None):
        with self.lock:
            charge = self.charges[str(charge_id)]
            return self._change(charge, "paid", value=value or charge["total"])

    def cancel(self, charge_id):
        with self.lock:
            return self._change(self.charges[str(charge_id)], "canceled")

    def unpay(self, charge_id):
        with self.lock:
            return self._change(self.charges[str(charge_id)], "unpaid")


class FakeEfiPixServer(FakePspServer):
    """Efí's Pix API: BACEN's API as payment_pix_br's fake PSP serves it, with Efí's
    token call, paths and webhook rule."""

    name = "fake_efi_pix"
    client_cn = "fake efi pix client"

    def dispatch(self, method, path, raw, headers):
        if method == "POST" and path == "/oauth/token":
            return self._efi_token(raw, headers)
        if not path.startswith("/v2/"):
            return problem(404, "NaoEncontrado")
        if path.startswith("/v2/webhook/") and method == "PUT":
            if headers.get("x-skip-mtls-checking") != "true":
                return problem(
                    400,
                    "webhook_invalido",
                    [("webhookUrl", "The URL did not pass Efí's mTLS check.")],
                )
        return super().dispatch(method, "/pix" + path, raw, headers)

    def _efi_token(self, raw, headers):
        if not _basic_ok(headers):
            return problem(401, "Unauthorized")
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("grant_type") != "client_credentials":
            return problem(400, "invalid_request")
        token = secrets.token_hex(16)
        self.tokens[token] = set(self.granted_scopes)
        return 200, {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": " ".join(sorted(self.granted_scopes)),
        }
