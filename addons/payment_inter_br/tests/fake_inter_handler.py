# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The HTTP side of the fake Banco Inter (`fake_inter.FakeInterServer`): routes,
scopes, rate limits and the answers of each operation."""

import base64
import json
import re
from urllib.parse import parse_qs, urlparse

from odoo.addons.payment_br_base.tests.fake_https import FakeHttpsHandler

from . import fake_inter_rules as rules

CHARGES = "/cobranca/v3/cobrancas"
READ = "boleto-cobranca.read"
WRITE = "boleto-cobranca.write"
# Scope needed by each operation.
SCOPES = {
    "issue": WRITE,
    "read": READ,
    "list": READ,
    "pdf": READ,
    "cancel": WRITE,
    "pagar": WRITE,
    "webhook_get": READ,
    "webhook_put": WRITE,
    "webhook_delete": WRITE,
    "callbacks": READ,
}
NOT_FOUND = ("Not Found", "Cobrança não encontrada")
BAD_REQUEST = "Requisição inválida"


class FakeInterHandler(FakeHttpsHandler):
    protocol_version = "HTTP/1.1"

    # --- plumbing ---

    def _reply(self, status, body=None, headers=None):
        with self.fake.lock:
            self.fake.answers.append((self._operation, status))
        if body is None:
            return self.send_body(status, headers=headers)
        data = json.dumps(body).encode()
        return self.send_body(status, data, "application/json", headers)

    def _refuse(self, status, title, detail, violations=None):
        return self._reply(status, rules.error_body(status, title, detail, violations))

    def _invalid(self, violations, detail="Existem campos inválidos."):
        return self._refuse(400, BAD_REQUEST, detail, violations)

    def _checked_query(self, check):
        """The query string's parameters, or None once refused with the violations
        that ``check`` finds in them."""
        query = self.query_params()
        violations = check(query)
        if violations:
            self._invalid(violations)
            return None
        return query

    def _route(self, method):
        path = urlparse(self.path).path
        if path == "/oauth/v2/token":
            return ("token", ()) if method == "POST" else (None, ())
        if path == f"{CHARGES}/webhook/callbacks" and method == "GET":
            return "callbacks", ()
        if path == f"{CHARGES}/webhook" and method in ("GET", "PUT", "DELETE"):
            return f"webhook_{method.lower()}", ()
        if path == CHARGES and method in ("GET", "POST"):
            return ("issue", ()) if method == "POST" else ("list", ())
        match = re.fullmatch(rf"{CHARGES}/([\w-]+)(?:/(pdf|cancelar|pagar))?", path)
        if match and match.group(1) not in ("webhook", "sumario"):
            operation, expected = {
                None: ("read", "GET"),
                "pdf": ("pdf", "GET"),
                "cancelar": ("cancel", "POST"),
                "pagar": ("pagar", "POST"),
            }[match.group(2)]
            if method == expected:
                return operation, (match.group(1),)
        return None, ()

    def _bucket(self, operation):
        if operation == "token":
            return "token", rules_limit(self.fake, "token")
        if operation.startswith("webhook") or operation == "callbacks":
            return "webhook", rules_limit(self.fake, "webhook")
        return "charges", rules_limit(self.fake, "charges")

    def _rate_limited(self, operation):
        """Count the call in its per-minute window; True when over the limit."""
        bucket, limit = self._bucket(operation)
        fake = self.fake
        now = fake.now()
        with fake.lock:
            calls = [t for t in fake.calls.get(bucket, []) if t > now - 60]
            calls.append(now)
            fake.calls[bucket] = calls
        return len(calls) > limit

    def _handle(self, method):
        raw = self.read_body()
        operation, args = self._route(method)
        self._operation = operation
        fake = self.fake
        with fake.lock:
            fake.requests.append(
                (operation, method, self.path, raw, dict(self.headers.items()))
            )
        if operation is None:
            return self._refuse(404, "Not Found", self.path)
        if self._rate_limited(operation):
            return self._reply(429)  # Inter: empty body, no Retry-After.
        if operation != "token":
            auth = self.headers.get("Authorization", "")
            scope = fake.tokens.get(auth.removeprefix("Bearer "))
            if scope is None:
                return self._refuse(401, "Unauthorized", "Token inválido")
            if SCOPES[operation] not in scope.split():
                return self._refuse(403, "Forbidden", "Escopo insuficiente")
            account = self.headers.get("x-conta-corrente")
            if account is not None and not rules.ACCOUNT_HEADER.fullmatch(account):
                return self._invalid(
                    [rules.violation("x-conta-corrente", "conta corrente inválida")],
                    detail="Conta corrente inválida.",
                )
        with fake.lock:
            injected = fake.injected.get(operation) or []
            injection = injected.pop(0) if injected else None
        if injection:
            status, body, create = injection
            if create and operation == "issue":
                with fake.lock:
                    fake.create_charge(json.loads(raw))
            return self._reply(status, body)
        with fake.lock:
            return getattr(self, f"_op_{operation}")(raw, *args)

    def do_DELETE(self):
        self._handle("DELETE")

    # --- operations (called under the fake's lock) ---

    def _op_token(self, raw):
        if "application/x-www-form-urlencoded" not in (
            self.headers.get("Content-Type") or ""
        ):
            return self._refuse(400, BAD_REQUEST, "Formulário esperado")
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        fake = self.fake
        if (
            form.get("client_id") != fake.client_id
            or form.get("client_secret") != fake.client_secret
            or form.get("grant_type") != "client_credentials"
        ):
            return self._refuse(401, "Unauthorized", "Credenciais inválidas")
        scope = form.get("scope", "")
        if not scope or not set(scope.split()) <= fake.known_scopes:
            return self._refuse(400, BAD_REQUEST, "Escopo inválido")
        token = fake.new_token(scope)
        return self._reply(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": fake.token_expires_in,
                "scope": scope,
            },
        )

    def _op_issue(self, raw):
        body = self.json_body(raw)
        if body is None:
            return self._invalid([rules.violation("body", "JSON esperado")])
        violations = rules.issue_violations(body, self.fake.today())
        if violations:
            return self._invalid(violations)
        if self.fake.find_duplicate(body):
            return self._invalid(
                [
                    rules.violation(
                        "seuNumero",
                        "cobrança duplicada: mesma cobrança emitida há menos de 30"
                        " minutos",
                    )
                ],
                detail="Cobrança duplicada.",
            )
        return self._reply(200, {"codigoSolicitacao": self.fake.create_charge(body)})

    def _charge(self, codigo):
        charge = self.fake.charges.get(codigo)
        if charge:
            self.fake.settle(charge)
        return charge

    def _op_read(self, raw, codigo):
        charge = self._charge(codigo)
        if not charge:
            return self._refuse(404, *NOT_FOUND)
        return self._reply(200, self.fake.public(charge))

    def _op_pdf(self, raw, codigo):
        charge = self._charge(codigo)
        if not charge:
            return self._refuse(404, *NOT_FOUND)
        if "boleto" not in charge:
            return self._refuse(400, BAD_REQUEST, "Cobrança em processamento")
        return self._reply(200, {"pdf": base64.b64encode(self.fake.pdf).decode()})

    def _op_cancel(self, raw, codigo):
        charge = self._charge(codigo)
        if not charge:
            return self._refuse(404, *NOT_FOUND)
        body = self.json_body(raw)
        reason = body.get("motivoCancelamento") if isinstance(body, dict) else None
        if not reason or not isinstance(reason, str) or len(reason) > 50:
            return self._invalid(
                [rules.violation("motivoCancelamento", "tamanho entre 1 e 50")]
            )
        if charge["cobranca"]["situacao"] not in (
            "EM_PROCESSAMENTO",
            "A_RECEBER",
            "ATRASADO",
        ):
            return self._refuse(
                400, BAD_REQUEST, "A cobrança não pode ser cancelada nesta situação."
            )
        charge.setdefault("_cancel_at", self.fake.now() + self.fake.cancel_seconds)
        return self._reply(202)

    def _op_pagar(self, raw, codigo):
        charge = self._charge(codigo)
        if not charge:
            return self._refuse(404, *NOT_FOUND)
        body = self.json_body(raw)
        pay_with = body.get("pagarCom") if isinstance(body, dict) else None
        if pay_with not in rules.PAY_WITH:
            return self._invalid(
                [rules.violation("pagarCom", "valores aceitos: BOLETO, PIX", pay_with)]
            )
        if charge["cobranca"]["situacao"] not in ("A_RECEBER", "ATRASADO"):
            return self._refuse(400, BAD_REQUEST, "Cobrança não está a receber.")
        self.fake.pay(codigo, origin=pay_with)
        return self._reply(204)

    def _op_list(self, raw):
        query = self._checked_query(rules.list_violations)
        if query is None:
            return None
        start = rules.parse_date(query["dataInicial"]).isoformat()
        end = rules.parse_date(query["dataFinal"]).isoformat()
        date_field = {
            "VENCIMENTO": "dataVencimento",
            "EMISSAO": "dataEmissao",
            "PAGAMENTO": "dataSituacao",
        }[query.get("filtrarDataPor", "VENCIMENTO")]
        items = []
        for charge in self.fake.charges.values():
            self.fake.settle(charge)
            cobranca = charge["cobranca"]
            if not start <= cobranca[date_field] <= end:
                continue
            if query.get("seuNumero") not in (None, cobranca["seuNumero"]):
                continue
            if query.get("situacao") not in (None, cobranca["situacao"]):
                continue
            items.append(self.fake.public(charge))
        return self._reply(
            200,
            {
                "totalPaginas": 1,
                "totalElementos": len(items),
                "ultimaPagina": True,
                "primeiraPagina": True,
                "tamanhoPagina": 100,
                "numeroDeElementos": len(items),
                "cobrancas": items,
            },
        )

    def _op_webhook_put(self, raw):
        body = self.json_body(raw)
        violations = rules.webhook_violations(body)
        if violations:
            return self._invalid(violations)
        self.fake.webhook_url = body["webhookUrl"]
        return self._reply(204)

    def _op_webhook_get(self, raw):
        if not self.fake.webhook_url:
            return self._refuse(404, "Not Found", "Webhook não encontrado")
        return self._reply(
            200,
            {"webhookUrl": self.fake.webhook_url, "criacao": "2026-01-01T00:00:00Z"},
        )

    def _op_webhook_delete(self, raw):
        self.fake.webhook_url = None
        return self._reply(204)

    def _op_callbacks(self, raw):
        query = self._checked_query(rules.callbacks_violations)
        if query is None:
            return None
        items = [
            {
                "webhookUrl": self.fake.webhook_url,
                "numeroTentativa": 1,
                "dataHoraDisparo": item["dataHoraSituacao"],
                "sucesso": True,
                "httpStatus": 200,
                "mensagemErro": None,
                "payload": [item],
            }
            for item in self.fake.callbacks
            if query.get("codigoSolicitacao") in (None, item["codigoSolicitacao"])
        ]
        return self._reply(
            200,
            {
                "totalPaginas": 1,
                "totalElementos": len(items),
                "ultimaPagina": True,
                "primeiraPagina": True,
                "size": 20,
                "numberOfElements": len(items),
                "data": items,
            },
        )


def rules_limit(fake, bucket):
    return {
        "token": fake.token_limit,
        "webhook": fake.webhook_limit,
        "charges": fake.charge_limit,
    }[bucket]
