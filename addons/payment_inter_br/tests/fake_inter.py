# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local fake of Banco Inter's charge API v3, for the tests: a second Inter, not a
mirror of our client.

HTTPS on 127.0.0.1 with a test CA generated here; a client certificate issued by that CA
is required (mutual TLS), like at Inter. It serves the token, issue, read, PDF, cancel,
list, webhook (registration and callbacks) and the sandbox `pagar` calls, and refuses
what Inter refuses (`fake_inter_rules`): invalid fields with `violacoes`, a scope that
does not cover the route, a malformed `x-conta-corrente`, a copy of a charge issued less
than 30 minutes ago, more calls per minute than Inter's limits (429, empty body).
Issuing is asynchronous (`EM_PROCESSAMENTO`, no boleto, until `registration_seconds`
passed) and a cancellation (202) takes effect `cancel_seconds` later. The fake has its
own clock, moved by `advance()`. The webhooks that `pagar` fires are queued in
`webhooks` for the test to deliver to Odoo.
"""

import datetime
import time
import uuid
from decimal import Decimal

from odoo.addons.payment_br_base.tests.fake_https import FakeHttpsServer

from . import fake_inter_rules as rules
from .fake_inter_handler import FakeInterHandler

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
CHARGES = "/cobranca/v3/cobrancas"
KNOWN_SCOPES = {"boleto-cobranca.read", "boleto-cobranca.write"}
# Calls per minute: charges (sandbox; production allows 120), token, webhook.
SANDBOX_CHARGE_LIMIT = 10
TOKEN_LIMIT = 5
WEBHOOK_LIMIT = 5
DUPLICATE_MINUTES = 30
BRAZIL = datetime.timezone(datetime.timedelta(hours=-3))  # Inter's "today"
FAKE_PDF = b"%PDF-1.4\n% fake boleto\n%%EOF\n"


def _crc16(payload):
    crc = 0xFFFF
    for byte in payload.encode():
        crc ^= byte << 8
        for _i in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _emv(field_id, value):
    return f"{field_id}{len(value):02d}{value}"


def _pix_code(txid, amount):
    account = _emv("00", "br.gov.bcb.pix") + _emv("25", f"pix.inter.example/qr/{txid}")
    payload = (
        _emv("00", "01")
        + _emv("01", "12")
        + _emv("26", account)
        + _emv("52", "0000")
        + _emv("53", "986")
        + _emv("54", f"{amount:.2f}")
        + _emv("58", "BR")
        + _emv("59", "COWORKING TESTE")
        + _emv("60", "SAO PAULO")
        + _emv("62", _emv("05", "***"))
        + "6304"
    )
    return payload + _crc16(payload)


class FakeInterServer(FakeHttpsServer):
    name = "fake_inter"
    handler_class = FakeInterHandler
    client_cn = "Coworking Inter Client"
    client_id = CLIENT_ID
    client_secret = CLIENT_SECRET
    known_scopes = KNOWN_SCOPES
    pdf = FAKE_PDF

    def reset(self):
        with self.lock:
            self.charges = {}  # codigoSolicitacao -> {"cobranca", "boleto", "pix"}
            self.tokens = {}  # access_token -> scope
            self.token_requests = []  # scopes asked
            self.requests = []  # (operation, method, path, body, headers)
            self.answers = []  # (operation, status)
            self.calls = {}  # rate bucket -> [fake times]
            self.injected = {}  # operation -> [(status, body, create)]
            self.webhooks = []  # bodies fired by `pagar`
            self.callbacks = []  # deliveries, for the callbacks route
            self.webhook_url = None
            self.token_expires_in = 3600
            self.charge_limit = SANDBOX_CHARGE_LIMIT
            self.token_limit = TOKEN_LIMIT
            self.webhook_limit = WEBHOOK_LIMIT
            self.registration_seconds = 60
            self.cancel_seconds = 60
            self.offset = 0.0

    # --- clock ---

    def now(self):
        return time.time() + self.offset

    def today(self):
        return datetime.datetime.fromtimestamp(self.now(), BRAZIL).date()

    def advance(self, seconds):
        """Move the fake's clock (registration, cancellation, limits, duplicates)."""
        with self.lock:
            self.offset += seconds

    # --- test helpers ---

    def inject(self, operation, status, body=None, create=False, times=1):
        """Answer the next `times` calls of `operation` with `status` (and `body`).
        With `create`, an issue call creates the charge before failing (lost answer)."""
        with self.lock:
            self.injected.setdefault(operation, []).extend(
                [(status, body, create)] * times
            )

    def count(self, operation):
        return len([r for r in self.requests if r[0] == operation])

    def count_status(self, status, operation=None):
        return len(
            [a for a in self.answers if a[1] == status and operation in (None, a[0])]
        )

    def register(self, codigo=None):
        """Finish the registration of a charge (all charges by default) now."""
        with self.lock:
            for key, charge in self.charges.items():
                if codigo in (None, key):
                    charge["_registered_at"] = min(charge["_registered_at"], self.now())
                    self.settle(charge)

    def settle(self, charge):
        """Apply what happened at the bank since the charge was last seen."""
        cobranca = charge["cobranca"]
        now = self.now()
        if (
            cobranca["situacao"] == "EM_PROCESSAMENTO"
            and now >= charge["_registered_at"]
        ):
            self._register(charge)
        cancel_at = charge.get("_cancel_at")
        if (
            cancel_at
            and now >= cancel_at
            and cobranca["situacao"]
            in (
                "A_RECEBER",
                "ATRASADO",
                "EM_PROCESSAMENTO",
            )
        ):
            cobranca.update(situacao="CANCELADO", dataSituacao=self.today().isoformat())
            charge.pop("_cancel_at")

    def pay(self, codigo, amount=None, origin="PIX", fire_webhook=True):
        """Mark the charge as received, as Inter does after a payment."""
        with self.lock:
            charge = self.charges[codigo]
            self.register(codigo)
            cobranca = charge["cobranca"]
            received = Decimal(
                str(cobranca["valorNominal"] if amount is None else amount)
            )
            cobranca.update(
                situacao="RECEBIDO",
                dataSituacao=self.today().isoformat(),
                valorTotalRecebido=f"{received:.2f}",
                origemRecebimento=origin,
            )
            if fire_webhook:
                item = self._webhook_item(charge)
                self.webhooks.append([item])
                self.callbacks.append(item)

    def _webhook_item(self, charge):
        cobranca = charge["cobranca"]
        return {
            "codigoSolicitacao": cobranca["codigoSolicitacao"],
            "seuNumero": cobranca["seuNumero"],
            "situacao": cobranca["situacao"],
            "dataHoraSituacao": datetime.datetime.fromtimestamp(
                self.now(), BRAZIL
            ).isoformat(timespec="seconds"),
            "valorTotalRecebido": cobranca.get("valorTotalRecebido"),
            "origemRecebimento": cobranca.get("origemRecebimento"),
            "nossoNumero": charge["boleto"]["nossoNumero"],
            "codigoBarras": charge["boleto"]["codigoBarras"],
            "linhaDigitavel": charge["boleto"]["linhaDigitavel"],
            "txid": charge["pix"]["txid"],
            "pixCopiaECola": charge["pix"]["pixCopiaECola"],
        }

    # --- API ---

    def new_token(self, scope):
        token = uuid.uuid4().hex
        self.tokens[token] = scope
        self.token_requests.append(scope)
        return token

    def find_duplicate(self, body):
        """A charge with the same seuNumero, valorNominal, dataVencimento and cpfCnpj
        issued less than 30 minutes ago."""
        limit = self.now() - DUPLICATE_MINUTES * 60
        key = (
            body["seuNumero"],
            rules.parse_amount(body["valorNominal"]),
            body["dataVencimento"],
            body["pagador"]["cpfCnpj"],
        )
        for charge in self.charges.values():
            if charge["_created_at"] >= limit and charge["_key"] == key:
                return charge
        return None

    def create_charge(self, body):
        codigo = str(uuid.uuid4())
        amount = rules.parse_amount(body["valorNominal"])
        today = self.today().isoformat()
        charge = {
            "cobranca": {
                "codigoSolicitacao": codigo,
                "seuNumero": body["seuNumero"],
                "dataEmissao": today,
                "dataVencimento": body["dataVencimento"],
                "valorNominal": float(amount),
                "tipoCobranca": "SIMPLES",
                "situacao": "EM_PROCESSAMENTO",
                "dataSituacao": today,
                "valorTotalRecebido": None,
                "origemRecebimento": None,
                "arquivada": False,
                "descontos": [],
                "multa": body.get("multa") or {"codigo": "NAOTEMMULTA"},
                "mora": body.get("mora") or {"codigo": "ISENTO"},
                "pagador": body["pagador"],
            },
            "_number": f"{len(self.charges) + 1:011d}",
            "_created_at": self.now(),
            "_registered_at": self.now() + self.registration_seconds,
            "_key": (
                body["seuNumero"],
                amount,
                body["dataVencimento"],
                body["pagador"]["cpfCnpj"],
            ),
        }
        self.charges[codigo] = charge
        return codigo

    def _register(self, charge):
        cobranca = charge["cobranca"]
        barcode, line = rules.boleto_numbers(
            charge["_number"],
            Decimal(str(cobranca["valorNominal"])),
            datetime.date.fromisoformat(cobranca["dataVencimento"]),
        )
        txid = cobranca["codigoSolicitacao"].replace("-", "")
        charge["boleto"] = {
            "nossoNumero": charge["_number"],
            "codigoBarras": barcode,
            "linhaDigitavel": line,
        }
        charge["pix"] = {
            "txid": txid,
            "pixCopiaECola": _pix_code(txid, cobranca["valorNominal"]),
        }
        cobranca.update(situacao="A_RECEBER", dataSituacao=self.today().isoformat())

    def public(self, charge):
        """The charge as the read route answers it (no boleto/pix while registering)."""
        return {key: value for key, value in charge.items() if not key.startswith("_")}
