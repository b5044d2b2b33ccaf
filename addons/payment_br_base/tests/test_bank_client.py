# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The pieces every bank client of the Brazilian providers shares."""

import base64
import os
import stat

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption

from odoo.exceptions import ValidationError
from odoo.tests import BaseCase, TransactionCase, tagged
from odoo.tools.misc import hmac as hmac_tool

from .. import bank_client
from .fake_https import make_cert, pem_key


def _certificate_and_key():
    key = ec.generate_private_key(ec.SECP256R1())
    return make_cert("Coworking Ltda", key, ca=True), key


@tagged("post_install", "-at_install")
class TestBankClient(BaseCase):
    def test_tls_files_are_private_and_removed(self):
        with bank_client.tls_files(b"CERT", b"KEY", "CA", prefix="t_") as files:
            (cert_path, key_path), verify = files
            for path, content in ((cert_path, b"CERT"), (key_path, b"KEY")):
                with open(path, "rb") as file:
                    self.assertEqual(file.read(), content)
                self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
                self.assertTrue(os.path.basename(path).startswith("t_"))
            with open(verify, "rb") as file:
                self.assertEqual(file.read(), b"CA")
        for path in (cert_path, key_path, verify):
            self.assertFalse(os.path.exists(path))

    def test_tls_files_without_certificate_or_authorities(self):
        with bank_client.tls_files(ca_pem=None) as (cert, verify):
            self.assertIsNone(cert)
            self.assertIs(verify, True)

    def test_tls_files_removed_when_the_call_fails(self):
        with self.assertRaises(RuntimeError):
            with bank_client.tls_files(b"C", b"K") as ((cert_path, _key), _verify):
                raise RuntimeError("the bank did not answer")
        self.assertFalse(os.path.exists(cert_path))

    def test_pkcs12_and_pem_round_trip(self):
        cert, key = _certificate_and_key()
        p12 = bank_client.pkcs12.serialize_key_and_certificates(
            b"client", key, cert, None, BestAvailableEncryption(b"secret")
        )
        with self.assertRaises(ValueError):
            bank_client.load_pkcs12(p12)  # the password is missing
        with self.assertRaises(ValueError):
            bank_client.load_pkcs12(b"not a p12")
        loaded_cert, loaded_key = bank_client.load_pkcs12(p12, b"secret")
        cert_pem, key_pem = bank_client.pem_pair(loaded_cert, loaded_key)
        self.assertEqual(bank_client.load_pem_certificate(cert_pem), cert)
        self.assertEqual(
            pem_key(bank_client.load_pem_key(key_pem)), pem_key(loaded_key)
        )
        with self.assertRaises(ValueError):
            bank_client.load_pem_key(b"-----BEGIN PRIVATE KEY-----\n")

    def test_token_cache_serves_a_token_until_the_margin(self):
        clock = [1000.0]
        cache = bank_client.TokenCache(60, now=lambda: clock[0])
        self.assertIsNone(cache.get("a"))
        cache.put("a", "token-a", 3600)
        cache.put("b", "token-b", "3600")
        self.assertEqual(cache.get("a"), "token-a")
        clock[0] += 3600 - 61
        self.assertEqual(cache.get("a"), "token-a")
        clock[0] += 1
        self.assertIsNone(cache.get("a"), "within the margin: a new token is due")
        self.assertEqual(cache.get("a", now=1000.0), "token-a")
        cache.clear(lambda key: key == "a")
        self.assertEqual(len(cache), 1)
        cache.clear()
        self.assertEqual(len(cache), 0)


@tagged("post_install", "-at_install")
class TestProviderAndTransactionHelpers(TransactionCase):
    def test_certificate_info(self):
        provider = self.env["payment.provider"]
        cert, key = _certificate_and_key()
        cert_b64, key_b64 = (
            base64.b64encode(pem) for pem in bank_client.pem_pair(cert, key)
        )
        self.assertEqual(
            provider._br_certificate_info(False), "No certificate uploaded."
        )
        self.assertEqual(
            provider._br_certificate_info(base64.b64encode(b"junk")),
            "The certificate cannot be read.",
        )
        info = provider._br_certificate_info(cert_b64)
        self.assertIn("CN=Coworking Ltda, valid until ", info)
        self.assertIn(str(bank_client.valid_until(cert)), info)
        self.assertTrue(
            provider._br_certificate_info(cert_b64, key_missing=True).endswith(
                " (key missing)"
            )
        )

        refusal = "not the bank's format"  # a message the addon translated

        def refuse(_data):
            raise ValidationError(refusal)

        self.assertEqual(
            provider._br_certificate_info(cert_b64, load=refuse),
            "not the bank's format",
        )
        self.assertEqual(
            provider._br_check_upload(key_b64, bank_client.load_pem_key, "wrong"),
            key_b64,
        )
        with self.assertRaisesRegex(ValidationError, "^wrong file$"):
            provider._br_check_upload(cert_b64, bank_client.load_pem_key, "wrong file")

    def test_success_notification(self):
        action = self.env["payment.provider"]._br_success_notification("Done")
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            action["params"], {"type": "success", "message": "Done", "sticky": False}
        )

    def test_access_tokens(self):
        provider = self.env["payment.provider"].create({"name": "Test", "code": "none"})
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "amount": 10.0,
                "currency_id": self.env.ref("base.BRL").id,
                "partner_id": self.env.user.partner_id.id,
                "reference": "BR-TOKEN-1",
            }
        )
        # Odoo's own token of a transaction (`payment.utils.generate_access_token`,
        # which needs a request): the PIX page's links already sent keep working.
        self.assertEqual(
            tx._br_access_token("generate_access_token"),
            hmac_tool(
                self.env(su=True), "generate_access_token", f"{tx.id}|BR-TOKEN-1"
            ),
        )
        token = tx._br_access_token("scope_a", 10.0)
        self.assertTrue(tx._br_check_access_token(token, "scope_a", 10.0))
        self.assertFalse(tx._br_check_access_token(token, "scope_b", 10.0))
        self.assertFalse(tx._br_check_access_token(token, "scope_a", 11.0))
        self.assertFalse(tx._br_check_access_token("", "scope_a", 10.0))
        self.assertFalse(tx._br_check_access_token(None, "scope_a", 10.0))
        self.assertTrue(tx._br_lock_nowait())
