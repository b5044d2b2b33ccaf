# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every client of a Brazilian bank's API does alike, without Odoo.

- The client certificate of mutual TLS, its key and the trusted authorities go to
  `requests` as file paths only (`cert=`, `verify=`): `tls_files` writes them to
  temporary files readable by this process alone and removes them after the call.
- Banks hand out the certificate as a PEM pair (Inter, the Pix API PSPs) or as a
  PKCS#12 file (Efí): `load_pem_certificate`, `load_pem_key`, `load_pkcs12` read them
  (ValueError when they cannot), `pem_pair` turns a loaded pair back into PEM.
- `TokenCache` keeps OAuth2 tokens (client credentials) in memory, never in the
  database, until shortly before they expire.

The protocol of each bank (its hosts, its token call, its errors) stays in its addon.
"""

import contextlib
import os
import tempfile
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12


@contextlib.contextmanager
def private_files(prefix="br_"):
    """Yield a function that writes bytes to a new temporary file readable only by
    this process and returns its path; every file written is removed on exit."""
    paths = []

    def write(content):
        if isinstance(content, str):
            content = content.encode()
        fd, path = tempfile.mkstemp(prefix=prefix, suffix=".pem")
        paths.append(path)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(content)
        return path

    try:
        yield write
    finally:
        for path in paths:
            with contextlib.suppress(OSError):
                os.unlink(path)


@contextlib.contextmanager
def tls_files(cert_pem=None, key_pem=None, ca_pem=None, prefix="br_"):
    """`requests`' `cert` and `verify` for the duration of a call.

    :param bytes cert_pem: The client certificate (PEM); with ``key_pem``, mutual TLS.
    :param bytes key_pem: Its private key (PEM, no password).
    :param ca_pem: The trusted authorities (PEM, str or bytes); empty: the system's.
    :return: A context manager yielding ``(cert, verify)``: ``(cert_path, key_path)``
             or None, and the authorities' path or True.
    """
    with private_files(prefix) as write:
        cert = (write(cert_pem), write(key_pem)) if cert_pem and key_pem else None
        yield cert, (write(ca_pem) if ca_pem else True)


def load_pem_certificate(data):
    """The X.509 certificate of PEM bytes. :raise ValueError: if it is not one."""
    return x509.load_pem_x509_certificate(data)


def load_pem_key(data):
    """The private key of PEM bytes without password.

    :raise ValueError: If it is not one (or it has a password)."""
    try:
        return serialization.load_pem_private_key(data, password=None)
    except TypeError as error:  # a key with a password
        raise ValueError(str(error)) from error


def load_pkcs12(data, password=None):
    """``(certificate, key)`` of a PKCS#12 file, either None when the file holds none.

    :raise ValueError: If the data are not PKCS#12 or the password is wrong.
    """
    try:
        key, cert, _chain = pkcs12.load_key_and_certificates(data or b"", password)
    except TypeError as error:
        raise ValueError(str(error)) from error
    return cert, key


def pem_pair(cert, key):
    """``(cert_pem, key_pem)`` of a loaded certificate and key, for `tls_files`."""
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def valid_until(cert):
    """The last day of a certificate's validity (UTC)."""
    return (getattr(cert, "not_valid_after_utc", None) or cert.not_valid_after).date()


class TokenCache:
    """OAuth2 tokens by a key of the caller's choice (database, provider, client id,
    host, scopes...), each served until ``margin`` seconds before it expires.

    :param int margin: Seconds of validity a token served must have left.
    :param now: The clock, a function returning a timestamp (tests move it).
    """

    def __init__(self, margin=60, now=time.time):
        self.margin = margin
        self.now = now
        self._tokens = {}
        self._lock = threading.Lock()

    def get(self, key, now=None):
        """The token cached for ``key`` while it stays valid long enough, else None.

        :param float now: The current timestamp, when the caller has its own clock.
        """
        with self._lock:
            cached = self._tokens.get(key)
        now = self.now() if now is None else now
        if cached and cached[1] - self.margin > now:
            return cached[0]
        return None

    def put(self, key, token, expires_in, now=None):
        """Cache ``token``, valid for ``expires_in`` seconds (the token answer's)."""
        now = self.now() if now is None else now
        with self._lock:
            self._tokens[key] = (token, now + int(expires_in or 0))

    def clear(self, match=None):
        """Forget the tokens whose key ``match(key)`` accepts (all without it)."""
        with self._lock:
            for key in list(self._tokens):
                if match is None or match(key):
                    del self._tokens[key]

    def __len__(self):
        with self._lock:
            return len(self._tokens)
