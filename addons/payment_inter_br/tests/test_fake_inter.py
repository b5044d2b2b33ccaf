# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fake bank against requests shaped like those of Inter's official Python SDK
(inter-co/pj-sdk-python: `HttpUtils`, `TokenUtils`, `BillingClient`,
`BillingWebhookClient`), not like our client's, so that the fake cannot drift toward
what our client happens to send: it must accept what Inter accepts and refuse what
Inter refuses."""

import json
from datetime import date, timedelta

import requests

from odoo.tests import tagged

from .common import InterBrCommon

BILLING = "/cobranca/v3/cobrancas"
READ = "boleto-cobranca.read"
WRITE = "boleto-cobranca.write"


@tagged("post_install", "-at_install")
class TestFakeInterLikeTheSdk(InterBrCommon):
    # --- an SDK-like client ---

    def _token(self, scope):
        """`TokenUtils.generate_token`: one scope per token, form-encoded."""
        response = self._token_response(scope)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()["access_token"]

    def _token_response(self, scope):
        return requests.post(
            self.fake.url + "/oauth/v2/token",
            data={
                "client_id": self.fake.client_id,
                "client_secret": self.fake.client_secret,
                "grant_type": "client_credentials",
                "scope": scope,
            },
            cert=self._cert,
            verify=self.fake.ca_path,
            timeout=10,
        )

    def _call(self, method, path, scope, body=None, account="123456"):
        """`HttpUtils.call`: the body is a JSON string sent as `data`, with the SDK's
        headers; the account header is added when configured."""
        if scope not in self._tokens:  # `TokenUtils.TOKEN_MAP`
            self._tokens[scope] = self._token(scope)
        headers = {
            "Authorization": f"Bearer {self._tokens[scope]}",
            "x-inter-sdk": "python",
            "x-inter-sdk-version": "1.0.2",
            "Content-Type": "application/json",
        }
        if account is not None:
            headers["x-conta-corrente"] = account
        return requests.request(
            method,
            self.fake.url + path,
            data=body,
            headers=headers,
            cert=self._cert,
            verify=self.fake.ca_path,
            timeout=10,
        )

    def _issue_request(self, **overrides):
        """`BillingIssueRequest.to_dict`: `valorNominal` as a string, every optional
        block present as null."""
        payer = {
            "cpfCnpj": "52998224725",
            "tipoPessoa": "FISICA",
            "nome": "Maria da Silva",
            "endereco": "Rua das Flores",
            "numero": "123",
            "complemento": None,
            "bairro": "Centro",
            "cidade": "São Paulo",
            "uf": "SP",
            "cep": "01001000",
            "email": None,
            "ddd": None,
            "telefone": None,
        }
        body = {
            "seuNumero": "SDK-0001",
            "valorNominal": "2.50",
            "dataVencimento": (date.today() + timedelta(days=5)).isoformat(),
            "numDiasAgenda": 30,
            "pagador": payer,
            "desconto": None,
            "multa": None,
            "mora": None,
            "mensagem": None,
            "beneficiarioFinal": None,
            "formasRecebimento": None,
        }
        for key, value in overrides.items():
            if key.startswith("pagador."):
                payer[key.split(".", 1)[1]] = value
            else:
                body[key] = value
        return json.dumps(body, ensure_ascii=False).encode()

    def setUp(self):
        super().setUp()
        self._cert = (self.fake.client_cert_path, self.fake.client_key_path)
        self._tokens = {}

    @staticmethod
    def _violations(response):
        """`Error.from_dict`: the violations are read from `violacoes`."""
        content = response.json()
        return {v["propriedade"]: v["razao"] for v in content.get("violacoes", [])}

    # --- tests ---

    def test_sdk_issue_read_duplicate_cancel(self):
        response = self._call("POST", BILLING, WRITE, self._issue_request())
        self.assertEqual(response.status_code, 200, response.text)
        codigo = response.json()["codigoSolicitacao"]

        # Registration is asynchronous: no boleto, no PIX yet.
        charge = self._call("GET", f"{BILLING}/{codigo}", READ).json()
        self.assertEqual(charge["cobranca"]["situacao"], "EM_PROCESSAMENTO")
        self.assertNotIn("boleto", charge)
        self.assertEqual(charge["cobranca"]["valorNominal"], 2.5)
        self.assertEqual(
            self._call("GET", f"{BILLING}/{codigo}/pdf", READ).status_code, 400
        )

        # The same charge again within 30 minutes is refused.
        self.fake.advance(60 * 29)
        again = self._call("POST", BILLING, WRITE, self._issue_request())
        self.assertEqual(again.status_code, 400)
        self.assertIn("duplicada", self._violations(again)["seuNumero"])
        self.fake.advance(60 * 2)
        later = self._call("POST", BILLING, WRITE, self._issue_request())
        self.assertEqual(later.status_code, 200, "accepted after 30 minutes")

        charge = self._call("GET", f"{BILLING}/{codigo}", READ).json()
        line = charge["boleto"]["linhaDigitavel"]
        self.assertRegex(line, r"^\d{47}$")
        self.assertEqual(len(charge["boleto"]["codigoBarras"]), 44)
        self.assertIn("pixCopiaECola", charge["pix"])

        # Cancellation: 202 without body (`HttpUtils.NO_CONTENT`), effective later.
        cancel = self._call(
            "POST",
            f"{BILLING}/{codigo}/cancelar",
            WRITE,
            json.dumps({"motivoCancelamento": "Cancelado pelo SDK"}),
        )
        self.assertEqual((cancel.status_code, cancel.content), (202, b""))
        charge = self._call("GET", f"{BILLING}/{codigo}", READ).json()
        self.assertEqual(charge["cobranca"]["situacao"], "A_RECEBER")
        self.fake.advance(self.fake.cancel_seconds)
        charge = self._call("GET", f"{BILLING}/{codigo}", READ).json()
        self.assertEqual(charge["cobranca"]["situacao"], "CANCELADO")

    def test_sdk_refusals_name_every_violation(self):
        response = self._call(
            "POST",
            BILLING,
            WRITE,
            self._issue_request(
                valorNominal="2.49",
                dataVencimento="28/11/2026",
                numDiasAgenda=61,
                mensagem={"linha1": "x" * 79},
                multa={"codigo": "PERCENTUAL"},
                **{
                    "pagador.uf": "XX",
                    "pagador.tipoPessoa": "OUTRA",
                    "pagador.cidade": None,
                    "pagador.nome": "x" * 101,
                    "pagador.cep": "01001-000",
                    "pagador.telefone": "9876543210",
                },
            ),
        )
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual(body["status"], 400)
        self.assertIn("timestamp", body)
        self.assertNotIn("violations", body)
        self.assertEqual(
            set(self._violations(response)),
            {
                "valorNominal",
                "dataVencimento",
                "numDiasAgenda",
                "mensagem.linha1",
                "multa.taxa",
                "pagador.uf",
                "pagador.tipoPessoa",
                "pagador.cidade",
                "pagador.nome",
                "pagador.cep",
                "pagador.telefone",
            },
        )
        # A valid request with a malformed checking account is refused too.
        refused = self._call(
            "POST", BILLING, WRITE, self._issue_request(), account="0012345-6"
        )
        self.assertEqual(refused.status_code, 400)
        self.assertIn("x-conta-corrente", self._violations(refused))
        # A value too large, and a past due date.
        for field, value in (
            ("valorNominal", "100000000.00"),
            ("dataVencimento", (date.today() - timedelta(days=2)).isoformat()),
        ):
            self.fake.advance(61)
            refused = self._call(
                "POST", BILLING, WRITE, self._issue_request(**{field: value})
            )
            self.assertEqual(set(self._violations(refused)), {field})

    def test_sdk_webhook_routes_and_scopes(self):
        webhook = f"{BILLING}/webhook"
        # `WebhookUtil.include_webhook`: PUT, indented JSON, https only.
        refused = self._call(
            "PUT", webhook, WRITE, json.dumps({"webhookUrl": "http://x.test/w"})
        )
        self.assertEqual(refused.status_code, 400)
        self.assertIn("webhookUrl", self._violations(refused))
        accepted = self._call(
            "PUT",
            webhook,
            WRITE,
            json.dumps({"webhookUrl": "https://x.test/w"}, indent=4),
        )
        self.assertEqual(accepted.status_code, 204)
        # `retrieve_webhook` reads with the read scope; the write scope is not enough.
        self.assertEqual(self._call("GET", webhook, WRITE).status_code, 403)
        self.fake.advance(61)
        found = self._call("GET", webhook, READ)
        self.assertEqual(found.json()["webhookUrl"], "https://x.test/w")
        # `retrieve_callback_page`
        callbacks = self._call(
            "GET",
            f"{webhook}/callbacks?dataHoraInicio=2026-01-01T00:00"
            "&dataHoraFim=2026-12-31T23:59&pagina=0",
            READ,
        )
        self.assertEqual(callbacks.status_code, 200, callbacks.text)
        self.assertEqual(callbacks.json()["data"], [])
        self.assertEqual(self._call("DELETE", webhook, WRITE).status_code, 204)
        # 5 webhook calls a minute: the 6th is rate limited, with an empty body.
        for _i in range(2):
            self.assertEqual(self._call("GET", webhook, READ).status_code, 404)
        limited = self._call("GET", webhook, READ)
        self.assertEqual((limited.status_code, limited.content), (429, b""))

    def test_sdk_list_and_token_limits(self):
        listed = self._call(
            "GET",
            f"{BILLING}?dataInicial=2026-01-01&dataFinal=2026-12-31"
            "&paginacao.paginaAtual=0&filtrarDataPor=EMISSAO",
            READ,
        )
        self.assertEqual(listed.status_code, 200)
        refused = self._call(
            "GET",
            f"{BILLING}?dataInicial=2026-01-01&dataFinal=2026-12-31"
            "&filtrarDataPor=CRIACAO&situacao=PAGO",
            READ,
        )
        self.assertEqual(set(self._violations(refused)), {"filtrarDataPor", "situacao"})
        # A write token does not read, a read token does not write.
        self.assertEqual(self._call("GET", f"{BILLING}/x", WRITE).status_code, 403)
        # 2 tokens so far; 5 tokens a minute.
        for _i in range(3):
            self._token(READ)
        response = self._token_response(READ)
        self.assertEqual(response.status_code, 429)
