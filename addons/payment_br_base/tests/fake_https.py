# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The HTTPS part every fake bank of the tests shares: a throwaway CA, a server
certificate for 127.0.0.1, a client certificate for mutual TLS, and a threaded server
on a free port of 127.0.0.1. Each fake subclasses `FakeHttpsServer`, names its request
handler (a `FakeHttpsHandler`, which reaches the fake as `self.fake`) and keeps its own
state in `reset()`. Nothing here knows a bank's protocol: reading a request and writing
an answer's bytes is all the handler base does.
"""

import datetime
import ipaddress
import json
import os
import shutil
import ssl
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def pem_key(key):
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def make_cert(
    subject_cn, key, issuer_cert=None, issuer_key=None, ca=False, server=False
):
    """A certificate valid from yesterday for 30 days: a CA, a server certificate for
    127.0.0.1/localhost, or (neither) a client certificate."""
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
        return builder.sign(key, hashes.SHA256())
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
        critical=False,
    )
    usage = (
        ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
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
    return builder.sign(issuer_key, hashes.SHA256())


class FakeHttpsHandler(BaseHTTPRequestHandler):
    """The plumbing of a fake bank's request handler: the body, its JSON, the query
    string, and an answer's bytes. A subclass routes each method in `_handle` (or
    overrides the `do_*` methods) and decides the answer's content type."""

    def log_message(self, *_args):  # Quiet: the test log must stay clean.
        return

    @property
    def fake(self):
        return self.server.fake

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def json_body(self, raw):
        """The JSON body, or None when it is not JSON sent as such."""
        if "application/json" not in (self.headers.get("Content-Type") or ""):
            return None
        try:
            return json.loads(raw or b"null")
        except ValueError:
            return None

    def query_params(self):
        """The query string's parameters, the first value of each."""
        return {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}

    def send_body(self, status, data=b"", content_type=None, headers=None):
        """Answer ``status`` with ``data`` (bytes) and its length."""
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method):
        raise NotImplementedError

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")


class FakeHttpsServer:
    """HTTPS on 127.0.0.1 with certificates made for this run only.

    Subclasses set `handler_class` and `name`, and may set `require_client_cert` to
    False for a bank without mutual TLS. The client side is in `ca_path` (to verify the
    server), `client_cert_path`/`client_key_path` (PEM) and `client_p12()` (PKCS#12).
    """

    handler_class = None
    name = "fake"
    require_client_cert = True
    client_cn = None  # the client certificate's CN, "<name> client" when not set

    def __init__(self):
        self.tmpdir = tempfile.mkdtemp(prefix=f"{self.name}_")
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_cert = make_cert(f"{self.name} test CA", ca_key, ca=True)
        server_key = ec.generate_private_key(ec.SECP256R1())
        server_cert = make_cert("127.0.0.1", server_key, ca_cert, ca_key, server=True)
        client_key = ec.generate_private_key(ec.SECP256R1())
        client_cert = make_cert(
            self.client_cn or f"{self.name} client", client_key, ca_cert, ca_key
        )
        self._client_key = client_key
        self._client_cert = client_cert

        self.ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
        self.client_cert_pem = client_cert.public_bytes(serialization.Encoding.PEM)
        self.client_key_pem = pem_key(client_key)
        self.ca_path = self._write("ca.pem", self.ca_pem)
        self.client_cert_path = self._write("client.pem", self.client_cert_pem)
        self.client_key_path = self._write("client.key", self.client_key_pem)

        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(
            self._write(
                "server.pem", server_cert.public_bytes(serialization.Encoding.PEM)
            ),
            self._write("server.key", pem_key(server_key)),
        )
        if self.require_client_cert:
            self.context.load_verify_locations(cafile=self.ca_path)
            self.context.verify_mode = ssl.CERT_REQUIRED

        self.lock = threading.RLock()
        self.httpd = None
        self.thread = None
        self.reset()

    def _write(self, name, content):
        path = os.path.join(self.tmpdir, name)
        with open(path, "wb") as file:
            file.write(content)
        return path

    def client_p12(self, password=None):
        """The client certificate and key as PKCS#12 bytes (as banks hand them out)."""
        encryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        return pkcs12.serialize_key_and_certificates(
            b"client", self._client_key, self._client_cert, None, encryption
        )

    def reset(self):
        """Forget every request and every piece of state (subclasses extend)."""

    # --- lifecycle ---

    @classmethod
    def start_for(cls, test_class):
        """A fake started for the tests of ``test_class`` (called in its
        `setUpClass`), stopped when they are done."""
        fake = cls()
        fake.start()
        test_class.addClassCleanup(fake.stop)
        return fake

    def start(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class)
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
