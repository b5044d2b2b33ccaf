# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local fake PSP serving BACEN's Pix API (immediate charges), for the tests.

HTTPS on 127.0.0.1 with a test CA made here; a client certificate issued by that CA is
required (mutual TLS), as at the PSPs. Paths follow Banco Inter's layout (token at
`/oauth/v2/token`, the API under `/pix/v2`). It refuses what BACEN's OpenAPI refuses:
a txid outside `[a-zA-Z0-9]{26,35}`, `valor.original` not a string with two decimals,
a missing `chave`/`valor`/`calendario`, a debtor with both or neither CPF and CNPJ.
`PATCH /cob/{txid}` ("Revisar cobrança imediata") here only removes a charge: status
REMOVIDA_PELO_USUARIO_RECEBEDOR alone, on an ATIVA charge; anything else is refused as
the spec's `CobOperacaoInvalida` (400), an unknown txid as `CobNaoEncontrado` (404).
`pay`, `remove` and `expire` play the payer's and the PSP's parts; the webhooks a
payment fires are queued in `webhooks` for the test to deliver to Odoo.
Faults: `fail_next` answers a problem instead of doing the request; `lose_answers`
does the request (a charge is made) and then drops the connection without a word,
as a timeout or a reset does to an answer on its way back.
"""

import datetime
import json
import re
import secrets
from urllib.parse import parse_qs, urlparse

from odoo.addons.payment_br_base.tests.fake_https import (
    FakeHttpsHandler,
    FakeHttpsServer,
)

CLIENT_ID = "fake-pix-client"
CLIENT_SECRET = "fake-pix-secret"
PIX_KEY = "123e4567-e12b-12d1-a456-426655440000"
TOKEN_PATH = "/oauth/v2/token"
PREFIX = "/pix/v2"
TXID_RE = re.compile(r"^[a-zA-Z0-9]{26,35}$")
AMOUNT_RE = re.compile(r"^\d{1,10}\.\d{2}$")
PROBLEM = "https://pix.bcb.gov.br/api/v2/error/"


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


# The fields of BACEN's `CobRevisada` schema (a PATCH body).
COB_REVISION_FIELDS = {
    "calendario",
    "devedor",
    "loc",
    "status",
    "valor",
    "chave",
    "solicitacaoPagador",
    "infoAdicionais",
}
STATUS_REMOVED_BY_RECEIVER = "REMOVIDA_PELO_USUARIO_RECEBEDOR"
# BACEN's examples of the two refusals of `PATCH /cob/{txid}`.
DETAIL_COB_INVALID = (
    "A requisição que busca alterar ou criar uma cobrança para pagamento imediato"
    " não respeita o _schema_ ou está semanticamente errada."
)
DETAIL_NOT_FOUND = "Entidade não encontrada."


def problem(status, title, violations=(), type_name=None, detail=None):
    return status, {
        "type": PROBLEM
        + (type_name or ("CobOperacaoInvalida" if status == 400 else title)),
        "title": title,
        "status": status,
        "detail": detail or title,
        "violacoes": [
            {"razao": reason, "propriedade": prop} for prop, reason in violations
        ],
    }


def cob_not_found():
    """BACEN's answer for a txid it holds no charge under."""
    return problem(
        404, "Não Encontrado", type_name="CobNaoEncontrado", detail=DETAIL_NOT_FOUND
    )


def check_cob_body(body):
    """The violations of a `PUT /cob/{txid}` body, as BACEN's schema defines them."""
    violations = []
    if not isinstance(body, dict):
        return [("cob", "The body must be a JSON object.")]
    for name in ("calendario", "valor", "chave"):
        if name not in body:
            violations.append((f"cob.{name}", "Required."))
    original = (body.get("valor") or {}).get("original")
    if not isinstance(original, str) or not AMOUNT_RE.match(original):
        violations.append(("cob.valor.original", "Does not match the schema."))
    expiry = (body.get("calendario") or {}).get("expiracao", 86400)
    if not isinstance(expiry, int) or expiry <= 0:
        violations.append(("cob.calendario.expiracao", "Must be a positive integer."))
    if not isinstance(body.get("chave"), str) or not 0 < len(body["chave"]) <= 77:
        violations.append(("cob.chave", "At most 77 characters."))
    request_text = body.get("solicitacaoPagador", "")
    if not isinstance(request_text, str) or len(request_text) > 140:
        violations.append(("cob.solicitacaoPagador", "At most 140 characters."))
    debtor = body.get("devedor")
    if debtor is not None:
        cpf, cnpj = debtor.get("cpf"), debtor.get("cnpj")
        if bool(cpf) == bool(cnpj):
            violations.append(("cob.devedor", "Exactly one of cpf and cnpj."))
        elif cpf and not re.match(r"^\d{11}$", cpf):
            violations.append(("cob.devedor.cpf", "11 digits."))
        elif cnpj and not re.match(r"^[0-9A-Z]{14}$", cnpj):
            violations.append(("cob.devedor.cnpj", "14 digits or capitals."))
        if not debtor.get("nome") or len(debtor["nome"]) > 200:
            violations.append(("cob.devedor.nome", "Required, at most 200."))
    return violations


class FakePspHandler(FakeHttpsHandler):
    def _answer(self, status, body=None):
        if body is None:
            return self.send_body(status)
        # RFC 7807: a refusal is a problem, in its own media type.
        content_type = "application/problem+json" if status >= 400 else None
        data = json.dumps(body).encode()
        return self.send_body(status, data, content_type or "application/json")

    def do_PATCH(self):  # the base serves GET, POST and PUT
        self._handle("PATCH")

    def _handle(self, method):
        fake = self.fake
        path = urlparse(self.path).path
        raw = self.read_body()
        with fake.lock:
            fake.requests.append((method, path))
            if fake.fail_next:
                status, body = fake.fail_next.pop(0)
                return self._answer(status, body)
            status, body = fake.dispatch(method, path, raw, self.headers)
            lost = fake.lost.get(method, 0)
            if lost:
                fake.lost[method] = lost - 1
        if lost:  # done at the PSP, the answer never reaches the client
            self.close_connection = True
            return None
        return self._answer(status, body)


class FakePspServer(FakeHttpsServer):
    name = "fake_psp"
    handler_class = FakePspHandler

    def reset(self):
        with self.lock:
            self.cobs = {}
            self.tokens = {}  # {token: scopes}
            self.requests = []
            self.webhooks = []
            self.webhook_urls = {}
            self.fail_next = []
            self.lost = {}  # method -> how many of its next answers are lost
            # The scopes the account holder granted to the API application.
            self.granted_scopes = {"cob.read", "cob.write", "webhook.write"}

    def lose_answers(self, method, times=1):
        """Do the next `times` requests of `method`, then drop their answers."""
        with self.lock:
            self.lost[method] = self.lost.get(method, 0) + times

    def count(self, method, prefix):
        return sum(1 for m, p in self.requests if m == method and p.startswith(prefix))

    # --- the API ---

    def dispatch(self, method, path, raw, headers):
        if method == "POST" and path == TOKEN_PATH:
            return self._token(parse_qs(raw.decode()))
        if not path.startswith(PREFIX + "/"):
            return problem(404, "NaoEncontrado")
        auth = headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return problem(401, "Unauthorized")
        scopes = self.tokens[auth[7:]]
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return problem(400, "Invalid JSON")
        parts = path[len(PREFIX) + 1 :].split("/")
        needed = {
            ("cob", "PUT"): "cob.write",
            ("cob", "GET"): "cob.read",
            ("cob", "PATCH"): "cob.write",
            ("webhook", "PUT"): "webhook.write",
        }.get((parts[0], method))
        if needed and needed not in scopes:
            return problem(403, "AcessoNegado")
        if len(parts) == 2 and parts[0] == "cob" and method in ("PUT", "GET", "PATCH"):
            if not TXID_RE.match(parts[1]):
                return problem(400, "Invalid txid", [("txid", "[a-zA-Z0-9]{26,35}")])
            if method == "PUT":
                return self._put_cob(parts[1], body)
            if method == "PATCH":
                return self._patch_cob(parts[1], body)
            cob = self.cobs.get(parts[1])
            if not cob:
                return cob_not_found()
            return 200, cob
        if len(parts) == 2 and parts[0] == "webhook" and method == "PUT":
            url = (body or {}).get("webhookUrl", "")
            if not url.startswith("https://"):
                return problem(400, "Invalid webhook", [("webhookUrl", "https")])
            self.webhook_urls[parts[1]] = url
            return 204, None
        return problem(404, "NaoEncontrado")

    def _token(self, form):
        def first(name):
            return (form.get(name) or [""])[0]

        if (
            first("client_id") != CLIENT_ID
            or first("client_secret") != CLIENT_SECRET
            or first("grant_type") != "client_credentials"
        ):
            return problem(401, "Unauthorized")
        scopes = set(first("scope").split())
        if not scopes or not scopes <= self.granted_scopes:
            return problem(403, "Forbidden")
        token = secrets.token_hex(16)
        self.tokens[token] = scopes
        return 200, {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": first("scope"),
        }

    def _put_cob(self, txid, body):
        violations = check_cob_body(body)
        if violations:
            return problem(400, "Cobrança inválida.", violations)
        if txid in self.cobs:
            return problem(400, "Cobrança inválida.", [("txid", "Already used.")])
        if body["chave"] != PIX_KEY:
            return problem(400, "Cobrança inválida.", [("cob.chave", "Unknown key.")])
        location = f"pix.psp.example/qr/v2/{secrets.token_hex(16)}"
        cob = {
            "calendario": {
                "criacao": _now().isoformat().replace("+00:00", "Z"),
                "expiracao": body["calendario"].get("expiracao", 86400),
            },
            "txid": txid,
            "revisao": 0,
            "loc": {"id": len(self.cobs) + 1, "location": location, "tipoCob": "cob"},
            "location": location,
            "status": "ATIVA",
            "valor": {"original": body["valor"]["original"]},
            "chave": body["chave"],
            "solicitacaoPagador": body.get("solicitacaoPagador", ""),
        }
        if body.get("devedor"):
            cob["devedor"] = body["devedor"]
        self.cobs[txid] = cob
        return 201, cob

    def _patch_cob(self, txid, body):
        """Revise a charge; only its removal is implemented (what Odoo sends)."""
        cob = self.cobs.get(txid)
        if not cob:
            return cob_not_found()

        def invalid(prop, reason, title="Cobrança inválida."):
            return problem(400, title, [(prop, reason)], detail=DETAIL_COB_INVALID)

        if not isinstance(body, dict) or not body:
            return invalid("cob", "The body must be a non-empty JSON object.")
        unknown = sorted(set(body) - COB_REVISION_FIELDS)
        if unknown:
            return invalid(f"cob.{unknown[0]}", "Not in the schema.")
        if "status" not in body:
            return invalid("cob", "Only the removal is implemented by this fake.")
        if body["status"] != STATUS_REMOVED_BY_RECEIVER:
            return invalid("cob.status", "O campo cob.status não respeita o _schema_.")
        if len(body) > 1:
            return invalid(
                "cob.status",
                "Remoção da cobrança juntamente com outras alterações.",
            )
        if cob["status"] != "ATIVA":
            return invalid(
                "cob.status",
                "A cobrança não está ATIVA, e a presente requisição busca alterá-la.",
                title="Operação inválida.",
            )
        cob["status"] = STATUS_REMOVED_BY_RECEIVER
        cob["revisao"] += 1
        return 200, cob

    # --- what the payer and the PSP do ---

    def pay(self, txid, amount=None):
        """The payer pays the charge: CONCLUIDA, and a webhook is queued. A removed
        charge can no longer be paid (the payer's bank refuses it)."""
        with self.lock:
            cob = self.cobs[txid]
            if cob["status"].startswith("REMOVIDA"):
                raise ValueError(f"The charge {txid} was removed: it cannot be paid.")
            pix = {
                "endToEndId": "E" + secrets.token_hex(15)[:31],
                "txid": txid,
                "valor": amount or cob["valor"]["original"],
                "horario": _now().isoformat().replace("+00:00", "Z"),
            }
            cob["status"] = "CONCLUIDA"
            cob.setdefault("pix", []).append(pix)
            self.webhooks.append({"pix": [pix]})
            return pix

    def remove(self, txid):
        with self.lock:
            self.cobs[txid]["status"] = "REMOVIDA_PELO_PSP"

    def expire(self, txid):
        """Move the charge's creation back beyond its lifetime."""
        with self.lock:
            calendar = self.cobs[txid]["calendario"]
            created = _now() - datetime.timedelta(seconds=calendar["expiracao"] + 60)
            calendar["criacao"] = created.isoformat().replace("+00:00", "Z")
