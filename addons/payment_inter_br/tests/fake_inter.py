# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local fake of Banco Inter's charge API v3, for the tests.

HTTPS on 127.0.0.1 with a test CA generated here; a client certificate issued by that CA
is required (mutual TLS), like at Inter. It serves the token, issue, read, PDF, cancel,
list, webhook registration and the sandbox `pagar` calls. The webhooks that `pagar`
fires are queued in `webhooks` for the test to deliver to Odoo.
"""

import base64
import datetime
import ipaddress
import json
import os
import re
import shutil
import ssl
import tempfile
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
CHARGES = "/cobranca/v3/cobrancas"
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
        server_cert_path = self._write(
            "server.pem", server_cert.public_bytes(serialization.Encoding.PEM)
        )
        server_key_path = self._write("server.key", _pem_key(server_key))

        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(server_cert_path, server_key_path)
        self.context.load_verify_locations(cafile=self.ca_path)
        self.context.verify_mode = ssl.CERT_REQUIRED

        self.lock = threading.Lock()
        self.httpd = None
        self.thread = None
        self.reset()

    def _write(self, name, content):
        path = os.path.join(self.tmpdir, name)
        with open(path, "wb") as file:
            file.write(content)
        return path

    # --- lifecycle ---

    def start(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
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
            self.requests = []  # (operation, method, path, body)
            self.injected = {}  # operation -> [(status, body, create)]
            self.webhooks = []  # bodies fired by `pagar`
            self.webhook_url = None
            self.token_expires_in = 3600

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

    def pay(self, codigo, amount=None, origin="PIX", fire_webhook=True):
        """Mark the charge as received, as Inter does after a payment."""
        with self.lock:
            charge = self.charges[codigo]
            cobranca = charge["cobranca"]
            received = cobranca["valorNominal"] if amount is None else amount
            cobranca.update(
                situacao="RECEBIDO",
                dataSituacao=datetime.date.today().isoformat(),
                valorTotalRecebido=received,
                origemRecebimento=origin,
            )
            if fire_webhook:
                self.webhooks.append([self._webhook_item(charge)])

    def _webhook_item(self, charge):
        cobranca = charge["cobranca"]
        return {
            "codigoSolicitacao": cobranca["codigoSolicitacao"],
            "seuNumero": cobranca["seuNumero"],
            "situacao": cobranca["situacao"],
            "dataHoraSituacao": datetime.datetime.now().isoformat(timespec="seconds"),
            "valorTotalRecebido": cobranca.get("valorTotalRecebido"),
            "origemRecebimento": cobranca.get("origemRecebimento"),
            "nossoNumero": charge["boleto"]["nossoNumero"],
            "codigoBarras": charge["boleto"]["codigoBarras"],
            "linhaDigitavel": charge["boleto"]["linhaDigitavel"],
            "txid": charge["pix"]["txid"],
            "pixCopiaECola": charge["pix"]["pixCopiaECola"],
        }

    # --- API ---

    def create_charge(self, body):
        codigo = str(uuid.uuid4())
        number = f"{len(self.charges) + 1:011d}"
        barcode = f"0779{number}{'0' * 29}"[:44]
        charge = {
            "cobranca": {
                "codigoSolicitacao": codigo,
                "seuNumero": body["seuNumero"],
                "dataEmissao": datetime.date.today().isoformat(),
                "dataVencimento": body["dataVencimento"],
                "valorNominal": body["valorNominal"],
                "situacao": "A_RECEBER",
                "dataSituacao": datetime.date.today().isoformat(),
                "valorTotalRecebido": None,
                "origemRecebimento": None,
                "pagador": body["pagador"],
            },
            "boleto": {
                "nossoNumero": number,
                "codigoBarras": barcode,
                "linhaDigitavel": f"07790.00116 {number[:5]}.{number[5:10]}0 "
                f"00000.000000 1 {'0' * 14}",
            },
            "pix": {
                "txid": codigo.replace("-", ""),
                "pixCopiaECola": _pix_code(
                    codigo.replace("-", ""), body["valorNominal"]
                ),
            },
        }
        self.charges[codigo] = charge
        return codigo


def _violations(body):
    violations = []
    for field in (
        "seuNumero",
        "valorNominal",
        "dataVencimento",
        "numDiasAgenda",
        "pagador",
    ):
        if body.get(field) in (None, ""):
            violations.append({"razao": "campo obrigatório", "propriedade": field})
    if len(body.get("seuNumero") or "") > 15:
        violations.append(
            {
                "razao": "tamanho deve ser entre 1 e 15",
                "propriedade": "seuNumero",
                "valor": body["seuNumero"],
            }
        )
    payer = body.get("pagador") or {}
    for field in ("cpfCnpj", "tipoPessoa", "nome", "endereco", "cidade", "uf", "cep"):
        if not payer.get(field):
            violations.append(
                {"razao": "campo obrigatório", "propriedade": f"pagador.{field}"}
            )
    return violations


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        return  # Keep the test log clean.

    # --- plumbing ---

    @property
    def fake(self):
        return self.server.fake

    def _reply(self, status, body=None, headers=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _route(self, method):
        path = urlparse(self.path).path
        if method == "POST" and path == "/oauth/v2/token":
            return "token", ()
        if path == f"{CHARGES}/webhook":
            return "webhook", ()
        if path == CHARGES:
            return ("issue", ()) if method == "POST" else ("list", ())
        match = re.fullmatch(rf"{CHARGES}/([\w-]+)(?:/(pdf|cancelar|pagar))?", path)
        if match:
            operation = {
                None: "read",
                "pdf": "pdf",
                "cancelar": "cancel",
                "pagar": "pagar",
            }
            return operation[match.group(2)], (match.group(1),)
        return None, ()

    def _handle(self, method):
        raw = self._read_body()
        operation, args = self._route(method)
        fake = self.fake
        with fake.lock:
            fake.requests.append((operation, method, self.path, raw))
            injected = fake.injected.get(operation) or []
            injection = injected.pop(0) if injected else None
        if operation is None:
            return self._reply(404, {"title": "Not Found", "detail": self.path})
        if operation != "token" and not self._authorized(operation):
            return self._reply(
                401, {"title": "Unauthorized", "detail": "Token inválido"}
            )
        if injection:
            status, body, create = injection
            if create and operation == "issue":
                with fake.lock:
                    fake.create_charge(json.loads(raw))
            headers = {"Retry-After": "0"} if status == 429 else None
            return self._reply(status, body, headers)
        return getattr(self, f"_op_{operation}")(method, raw, *args)

    def _authorized(self, operation):
        auth = self.headers.get("Authorization", "")
        scope = self.fake.tokens.get(auth.removeprefix("Bearer "))
        if scope is None:
            return False
        needed = (
            "boleto-cobranca.read"
            if operation in ("read", "pdf", "list")
            else "boleto-cobranca.write"
        )
        return needed in scope.split()

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_DELETE(self):
        self._handle("DELETE")

    # --- operations ---

    def _op_token(self, method, raw):
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        if (
            form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("grant_type") != "client_credentials"
        ):
            return self._reply(401, {"title": "Unauthorized", "detail": "Credenciais"})
        token = uuid.uuid4().hex
        with self.fake.lock:
            self.fake.tokens[token] = form.get("scope", "")
            self.fake.token_requests.append(form.get("scope", ""))
        return self._reply(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.fake.token_expires_in,
                "scope": form.get("scope", ""),
            },
        )

    def _op_issue(self, method, raw):
        body = json.loads(raw or b"{}")
        violations = _violations(body)
        if violations:
            return self._reply(
                400,
                {
                    "title": "Requisição inválida",
                    "detail": "Existem campos inválidos.",
                    "violations": violations,
                },
            )
        with self.fake.lock:
            codigo = self.fake.create_charge(body)
        return self._reply(200, {"codigoSolicitacao": codigo})

    def _get_charge(self, codigo):
        return self.fake.charges.get(codigo)

    def _op_read(self, method, raw, codigo):
        charge = self._get_charge(codigo)
        if not charge:
            return self._reply(
                404, {"title": "Not Found", "detail": "Cobrança não encontrada"}
            )
        return self._reply(200, charge)

    def _op_pdf(self, method, raw, codigo):
        if not self._get_charge(codigo):
            return self._reply(
                404, {"title": "Not Found", "detail": "Cobrança não encontrada"}
            )
        return self._reply(200, {"pdf": base64.b64encode(FAKE_PDF).decode()})

    def _op_cancel(self, method, raw, codigo):
        charge = self._get_charge(codigo)
        if not charge:
            return self._reply(
                404, {"title": "Not Found", "detail": "Cobrança não encontrada"}
            )
        body = json.loads(raw or b"{}")
        if not body.get("motivoCancelamento"):
            return self._reply(
                400,
                {
                    "title": "Requisição inválida",
                    "detail": "",
                    "violations": [
                        {
                            "razao": "campo obrigatório",
                            "propriedade": "motivoCancelamento",
                        }
                    ],
                },
            )
        with self.fake.lock:
            charge["cobranca"]["situacao"] = "CANCELADO"
        return self._reply(202)

    def _op_pagar(self, method, raw, codigo):
        if not self._get_charge(codigo):
            return self._reply(
                404, {"title": "Not Found", "detail": "Cobrança não encontrada"}
            )
        body = json.loads(raw or b"{}")
        self.fake.pay(codigo, origin=body.get("pagarCom", "BOLETO"))
        return self._reply(204)

    def _op_list(self, method, raw):
        query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        if not query.get("dataInicial") or not query.get("dataFinal"):
            return self._reply(
                400,
                {
                    "title": "Requisição inválida",
                    "detail": "",
                    "violations": [
                        {"razao": "campo obrigatório", "propriedade": "dataInicial"}
                    ],
                },
            )
        items = [
            charge
            for charge in self.fake.charges.values()
            if not query.get("seuNumero")
            or charge["cobranca"]["seuNumero"] == query["seuNumero"]
        ]
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

    def _op_webhook(self, method, raw):
        if method == "PUT":
            body = json.loads(raw or b"{}")
            if not (body.get("webhookUrl") or "").startswith("http"):
                return self._reply(
                    400, {"title": "Requisição inválida", "detail": "webhookUrl"}
                )
            self.fake.webhook_url = body["webhookUrl"]
            return self._reply(204)
        if method == "GET":
            return self._reply(200, {"webhookUrl": self.fake.webhook_url})
        self.fake.webhook_url = None
        return self._reply(204)
