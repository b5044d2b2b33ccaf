# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fake Efí driven by Efí's own Python SDK (`efipay`, pinned in
requirements-dev.txt), its base URLs pointed at the fakes: the fake must accept what
the SDK sends as Efí does, and refuse what Efí's documentation says Efí refuses, so
that it cannot drift toward our client."""

import os
from datetime import date, timedelta
from unittest.mock import patch

from efipay import EfiPay
from efipay.constants import Constants
from efipay.exceptions import CertificateError, UnauthorizedError

from odoo.tests import tagged

from odoo.addons.payment_pix_br.tests.fake_psp import PIX_KEY

from .common import EfiBrCommon
from .fake_efi import CLIENT_ID, CLIENT_SECRET


@tagged("post_install", "-at_install")
class TestFakeEfiWithTheSdk(EfiBrCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tmp = cls.fake.tmpdir
        cls.ca_bundle = os.path.join(tmp, "both_cas.pem")
        with open(cls.ca_bundle, "wb") as file:
            file.write(cls.fake.ca_pem + cls.fake_pix.ca_pem)
        cls.certificate = os.path.join(tmp, "efi_certificate.pem")
        with open(cls.certificate, "wb") as file:
            file.write(cls.fake_pix.client_cert_pem + cls.fake_pix.client_key_pem)

    def setUp(self):
        super().setUp()
        for patcher in (
            patch.dict(
                Constants.APIS["CHARGES"]["URL"], {"sandbox": self.fake.url + "/v1"}
            ),
            patch.dict(Constants.APIS["PIX"]["URL"], {"sandbox": self.fake_pix.url}),
            patch.dict(os.environ, {"REQUESTS_CA_BUNDLE": self.ca_bundle}),
        ):
            patcher.start()
            self.addCleanup(patcher.stop)
        self.sdk = EfiPay(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "sandbox": True,
                "certificate": self.certificate,
            }
        )

    @staticmethod
    def _body(**customer):
        return {
            "items": [{"name": "Fixed desk", "value": 15000, "amount": 1}],
            "metadata": {
                "custom_id": "SDK-0001",
                "notification_url": "https://coworking.example/efi",
            },
            "payment": {
                "banking_billet": {
                    "expire_at": (date.today() + timedelta(days=3)).isoformat(),
                    "customer": customer
                    or {
                        "name": "Gorbadoc Oldbuck",
                        "cpf": "94271564656",
                        "email": "oldbuck@example.com",
                        "phone_number": "5144916523",
                    },
                    "configurations": {"days_to_write_off": 30, "fine": 200},
                }
            },
        }

    def _refusal(self, body):
        response = self.sdk.create_one_step_charge(body=body)
        self.assertEqual(response["code"], 3500034, response)
        self.assertEqual(response["error"], "validation_error")
        return response["error_description"]["property"]

    def test_sdk_one_step_detail_notification(self):
        response = self.sdk.create_one_step_charge(body=self._body())
        self.assertEqual(response["code"], 200, response)
        data = response["data"]
        self.assertEqual(data["status"], "waiting")
        self.assertEqual(data["total"], 15000)
        for key in ("barcode", "link", "billet_link"):
            self.assertTrue(data[key])
        self.assertTrue(data["pdf"]["charge"])
        self.assertTrue(data["pix"]["qrcode"].startswith("000201"))
        detail = self.sdk.detail_charge(params={"id": data["charge_id"]})
        self.assertEqual(detail["data"]["custom_id"], "SDK-0001")
        self.fake.pay(data["charge_id"])
        url, token = self.fake.notifications[-1]
        self.assertEqual(url, "https://coworking.example/efi")
        history = self.sdk.get_notification(params={"token": token})["data"]
        self.assertEqual(
            [entry["status"]["current"] for entry in history],
            ["new", "waiting", "paid"],
        )
        self.assertEqual(history[-1]["identifiers"]["charge_id"], data["charge_id"])
        self.assertEqual(history[-1]["value"], 15000)
        unknown = self.sdk.get_notification(params={"token": "unknown"})
        self.assertEqual(unknown["code"], 404)

    def test_sdk_cancel_and_what_efi_refuses_to_cancel(self):
        charge_id = self.sdk.create_one_step_charge(body=self._body())["data"][
            "charge_id"
        ]
        self.assertEqual(
            self.sdk.cancel_charge(params={"id": charge_id}), {"code": 200}
        )
        detail = self.sdk.detail_charge(params={"id": charge_id})["data"]
        self.assertEqual(detail["status"], "canceled")
        # Efí notifies the change like any other
        _url, token = self.fake.notifications[-1]
        history = self.sdk.get_notification(params={"token": token})["data"]
        self.assertEqual(
            history[-1]["status"], {"current": "canceled", "previous": "waiting"}
        )
        # already cancelled: refused (only new, link, waiting or unpaid are)
        again = self.sdk.cancel_charge(params={"id": charge_id})
        self.assertEqual(again["code"], 3500043)
        self.assertIn("[new],[link],[waiting] ou [unpaid]", again["error_description"])
        # a boleto printed before can still be paid; a paid one is not cancelled
        self.fake.pay(charge_id)
        self.assertEqual(
            self.sdk.cancel_charge(params={"id": charge_id})["code"], 3500043
        )
        self.assertEqual(
            self.sdk.detail_charge(params={"id": charge_id})["data"]["status"], "paid"
        )
        # an unpaid boleto (past due) can be cancelled
        unpaid_id = self.sdk.create_one_step_charge(body=self._body())["data"][
            "charge_id"
        ]
        self.fake.unpay(unpaid_id)
        self.assertEqual(self.sdk.cancel_charge(params={"id": unpaid_id})["code"], 200)
        # unknown ids
        self.assertEqual(self.sdk.cancel_charge(params={"id": 999999})["code"], 4600001)
        unknown = self.sdk.detail_charge(params={"id": 999999})
        self.assertEqual(
            (unknown["code"], unknown["error_description"]["property"]), (3500010, "id")
        )

    def test_sdk_company_payer(self):
        body = self._body(
            juridical_person={"corporate_name": "Acme Ltda", "cnpj": "11222333000181"}
        )
        self.assertEqual(self.sdk.create_one_step_charge(body=body)["code"], 200)

    def test_fake_refuses_what_efi_refuses(self):
        body = self._body()
        body["items"][0]["value"] = 150.0
        self.assertEqual(self._refusal(body), "/items/0/value")
        body = self._body()
        body["items"][0]["valor"] = 15000
        self.assertEqual(self._refusal(body), "/items/0/valor")
        body = self._body()
        body["items"][0]["value"] = 499
        self.assertEqual(self._refusal(body), "/items")
        # a person: the full name and the CPF
        self.assertEqual(
            self._refusal(self._body(name="Gorbadoc")),
            "/payment/banking_billet/customer/name",
        )
        self.assertEqual(
            self._refusal(self._body(name="Gorbadoc Oldbuck", cpf="94271564657")),
            "/payment/banking_billet/customer/cpf",
        )
        # a company: its name and CNPJ
        self.assertEqual(
            self._refusal(self._body(juridical_person={"corporate_name": "Acme"})),
            "/payment/banking_billet/customer/juridical_person/cnpj",
        )
        self.assertEqual(
            self._refusal(self._body(juridical_person={"cnpj": "11222333000181"})),
            "/payment/banking_billet/customer/juridical_person/corporate_name",
        )
        # an address, when given, is complete
        self.assertEqual(
            self._refusal(
                self._body(
                    name="Gorbadoc Oldbuck",
                    cpf="94271564656",
                    address={"street": "Rua A", "number": "1", "zipcode": "35400000"},
                )
            ),
            "/payment/banking_billet/customer/address/neighborhood",
        )
        body = self._body()
        body["payment"]["banking_billet"]["expire_at"] = (
            date.today() - timedelta(days=1)
        ).isoformat()
        self.assertEqual(self._refusal(body), "/payment/banking_billet/expire_at")
        body = self._body()
        body["payment"]["banking_billet"]["configurations"]["days_to_write_off"] = 121
        self.assertEqual(
            self._refusal(body),
            "/payment/banking_billet/configurations/days_to_write_off",
        )
        self.assertFalse(self.fake.charges)

    def test_sdk_expired_token_and_wrong_credentials(self):
        charge_id = self.sdk.create_one_step_charge(body=self._body())["data"][
            "charge_id"
        ]
        self.fake.expire_tokens()
        detail = self.sdk.detail_charge(params={"id": charge_id})
        self.assertEqual(detail["code"], 200)  # the SDK authenticates again on 401
        self.assertEqual(self.fake.count("POST", "/v1/authorize"), 2)
        wrong = EfiPay(
            {"client_id": CLIENT_ID, "client_secret": "wrong", "sandbox": True}
        )
        self.assertIsInstance(
            wrong.create_one_step_charge(body=self._body()), UnauthorizedError
        )

    def test_sdk_pix_charge_with_the_client_certificate(self):
        txid = "a" * 32
        body = {
            "calendario": {"expiracao": 3600},
            "devedor": {"cpf": "12345678909", "nome": "Francisco da Silva"},
            "valor": {"original": "150.00"},
            "chave": PIX_KEY,
        }
        cob = self.sdk.pix_create_charge(params={"txid": txid}, body=body)
        self.assertEqual(cob["status"], "ATIVA", cob)
        self.assertEqual(
            self.sdk.pix_detail_charge(params={"txid": txid})["txid"], txid
        )
        # the webhook: Efí checks the receiver with mTLS unless told to skip it
        refused = self.sdk.pix_config_webhook(
            params={"chave": PIX_KEY}, body={"webhookUrl": "https://example.com/w"}
        )
        self.assertEqual(refused.get("status"), 400)
        # without the certificate, the SDK does not even call
        no_cert = EfiPay(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "sandbox": True,
                "certificate": "/nonexistent.pem",
            }
        )
        self.assertIsInstance(
            no_cert.pix_detail_charge(params={"txid": txid}), CertificateError
        )
