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
import ipaddress
import os
import shutil
import ssl
import tempfile
import threading
import time
import uuid
from decimal import Decimal
from http.server import ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from . import fake_inter_rules as rules

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


def _pem_key(key):
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _make_cert(
    subject_cn, key, issuer_cert=None, issuer_key=None, ca=False, server=False
):
    now = datetime.datetime.now(datetime.timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject if issuer_cert else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
    else:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        usage = (
            ExtendedKeyUsageOID.SERVER_AUTH
            if server
            else ExtendedKeyUsageOID.CLIENT_AUTH
        )
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


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


class FakeInterServer:
    def __init__(self):
        self.tmpdir = tempfile.mkdtemp(prefix="fake_inter_")
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_cert = _make_cert("Fake Inter Test CA", ca_key, ca=True)
        server_key = ec.generate_private_key(ec.SECP256R1())
        server_cert = _make_cert("127.0.0.1", server_key, ca_cert, ca_key, server=True)
        client_key = ec.generate_private_key(ec.SECP256R1())
        client_cert = _make_cert("Coworking Inter Client", client_key, ca_cert, ca_key)

        self.ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
        self.client_cert_pem = client_cert.public_bytes(serialization.Encoding.PEM)
        self.client_key_pem = _pem_key(client_key)
        self.ca_path = self._write("ca.pem", self.ca_pem)
        self.client_cert_path = self._write("client.pem", self.client_cert_pem)
        self.client_key_path = self._write("client.key", self.client_key_pem)
        server_cert_path = self._write(
            "server.pem", server_cert.public_bytes(serialization.Encoding.PEM)
        )
        server_key_path = self._write("server.key", _pem_key(server_key))

        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(server_cert_path, server_key_path)
        self.context.load_verify_locations(cafile=self.ca_path)
        self.context.verify_mode = ssl.CERT_REQUIRED

        self.lock = threading.RLock()
        self.httpd = None
        self.thread = None
        self.reset()

    client_id = CLIENT_ID
    client_secret = CLIENT_SECRET
    known_scopes = KNOWN_SCOPES
    pdf = FAKE_PDF

    def _write(self, name, content):
        path = os.path.join(self.tmpdir, name)
        with open(path, "wb") as file:
            file.write(content)
        return path

    # --- lifecycle ---

    def start(self):
        from .fake_inter_handler import FakeInterHandler

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeInterHandler)
        self.httpd.daemon_threads = True
        self.httpd.fake = self
        self.httpd.socket = self.context.wrap_socket(
            self.httpd.socket, server_side=True
        )
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    @property
    def url(self):
        return f"https://127.0.0.1:{self.httpd.server_address[1]}"

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
