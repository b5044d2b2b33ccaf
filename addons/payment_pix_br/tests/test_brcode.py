# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from decimal import Decimal

from hypothesis import (
    example,
    given,
    settings,
    strategies as st,
)

from odoo.tests import BaseCase, tagged

from ..tools import brcode

# The static BR Code of BACEN's manual (no amount, txid ***).
BACEN_EXAMPLE = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053"
    "039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)
EVP_KEY = "123e4567-e12b-12d1-a456-426655440000"

_PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
_KEYS = st.one_of(
    st.uuids().map(str),
    st.from_regex(r"\A\+55[1-9][0-9]{10}\Z"),
    st.from_regex(r"\A[0-9]{11}\Z"),
    st.text(_PRINTABLE, min_size=1, max_size=brcode.KEY_MAX).filter(str.strip),
)
_AMOUNTS = st.none() | st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2
)
_TXIDS = st.just("***") | st.from_regex(r"\A[A-Za-z0-9]{1,25}\Z")
_MESSAGES = st.none() | st.text(_PRINTABLE, max_size=brcode.MESSAGE_MAX)
_URLS = st.from_regex(r"\A[a-z0-9-]{1,20}\.[a-z]{2,6}/[A-Za-z0-9/._-]{1,40}\Z")


def _with_crc(body):
    """A payload ending with a correct CRC over `body`."""
    return body + "6304" + brcode.crc16(body + "6304")


@tagged("post_install", "-at_install")
class TestBrCode(BaseCase):
    # === CRC and the manual's example === #

    def test_crc_check_value(self):
        self.assertEqual(brcode.crc16("123456789"), "29B1")

    def test_bacen_example_round_trips(self):
        data = brcode.parse(BACEN_EXAMPLE)
        self.assertEqual(data["key"], EVP_KEY)
        self.assertEqual(data["name"], "Fulano de Tal")
        self.assertEqual(data["city"], "BRASILIA")
        self.assertEqual(data["txid"], "***")
        self.assertEqual(data["crc"], "1D3D")
        self.assertIsNone(data["amount"])
        self.assertIsNone(data["url"])
        rebuilt = brcode.build(
            key=data["key"], name=data["name"], city=data["city"], upper=False
        )
        self.assertEqual(rebuilt, BACEN_EXAMPLE)

    # === Limits of the standard, when building === #

    def _build(self, **values):
        return brcode.build(
            **{"key": EVP_KEY, "name": "Fulano", "city": "Brasilia", **values}
        )

    def test_key_limit(self):
        key = "k" * brcode.KEY_MAX
        self.assertEqual(brcode.parse(self._build(key=key))["key"], key)
        with self.assertRaisesRegex(ValueError, "Pix key is longer than 77"):
            self._build(key=key + "k")

    def test_message_limit(self):
        # only a one-character key leaves room for 72 characters in field 26
        message = "m" * brcode.MESSAGE_MAX
        payload = self._build(key="k", message=message)
        self.assertEqual(brcode.parse(payload)["message"], message)
        with self.assertRaisesRegex(ValueError, "message is longer than 72"):
            self._build(key="k", message=message + "m")

    def test_merchant_account_field_limit(self):
        # 18 (GUI) + 4 + 36 (key) + 4 + 37 = 99: the whole field 26 just fits
        self.assertTrue(self._build(message="m" * 37))
        with self.assertRaisesRegex(ValueError, r"field \(26\) is longer than 99"):
            self._build(message="m" * 38)

    def test_amount(self):
        self.assertEqual(brcode.parse(self._build(amount=10))["amount"], Decimal(10))
        self.assertIn("540510.00", self._build(amount="10"))
        self.assertIn("54041.01", self._build(amount=1.005))  # half up
        self.assertIn("54131234567890.00", self._build(amount="1234567890"))
        with self.assertRaisesRegex(ValueError, "at most 13 characters"):
            self._build(amount="12345678901")
        for bad in (0, -1, "0.001", "abc", "NaN"):
            with self.assertRaises(ValueError, msg=bad):
                self._build(amount=bad)

    def test_name_and_city_normalized_and_cut(self):
        data = brcode.parse(
            self._build(
                name="  Coworking  Ação   Conceição do Mato Dentro Ltda",
                city="São José do Rio Preto",
            )
        )
        self.assertEqual(data["name"], "COWORKING ACAO CONCEICAO")
        self.assertLessEqual(len(data["name"]), brcode.NAME_MAX)
        self.assertEqual(data["city"], "SAO JOSE DO RIO")
        with self.assertRaisesRegex(ValueError, "name is required"):
            self._build(name="日本")
        with self.assertRaisesRegex(ValueError, "city is required"):
            self._build(city=" ")

    def test_txid(self):
        self.assertEqual(brcode.parse(self._build(txid="A" * 25))["txid"], "A" * 25)
        for bad in ("A" * 26, "INV/2026/1", "", "tx id"):
            with self.assertRaisesRegex(ValueError, "letters and digits", msg=bad):
                self._build(txid=bad)

    def test_dynamic(self):
        payload = brcode.build(
            url="pix.example.com/qr/v2/cobv/9d36b84f", name="Fulano", city="X", amount=5
        )
        data = brcode.parse(payload)
        self.assertEqual(data["url"], "pix.example.com/qr/v2/cobv/9d36b84f")
        self.assertEqual(data["initiation"], "12")
        self.assertIsNone(data["key"])
        with self.assertRaisesRegex(ValueError, "without https"):
            brcode.build(url="https://pix.example.com/x", name="F", city="X")
        with self.assertRaisesRegex(ValueError, "dynamic BR Code is"):
            brcode.build(url="pix.example.com/x", name="F", city="X", txid="ABC")
        with self.assertRaisesRegex(ValueError, "either a Pix key"):
            brcode.build(key=EVP_KEY, url="pix.example.com/x", name="F", city="X")
        with self.assertRaisesRegex(ValueError, "either a Pix key"):
            brcode.build(name="F", city="X")

    # === Payloads refused by parse === #

    def test_parse_refuses_wrong_crc(self):
        with self.assertRaisesRegex(ValueError, "CRC of the BR Code does not match"):
            brcode.parse(BACEN_EXAMPLE[:-4] + "1D3E")
        with self.assertRaisesRegex(ValueError, "upper-case hex"):
            brcode.parse(BACEN_EXAMPLE[:-4] + "1d3d")
        with self.assertRaisesRegex(ValueError, "does not end with its CRC"):
            brcode.parse(BACEN_EXAMPLE[:-8])

    def test_parse_refuses_wrong_lengths(self):
        body = BACEN_EXAMPLE[:-8]
        # the name announced with 14 characters instead of 13, CRC recomputed
        with self.assertRaisesRegex(ValueError, "wrong length|Malformed"):
            brcode.parse(_with_crc(body.replace("5913Fulano", "5914Fulano")))
        # the key announced with 35 characters: field 26 no longer splits exactly
        with self.assertRaisesRegex(ValueError, "field 26"):
            brcode.parse(_with_crc(body.replace("0136123e", "0135123e")))
        # the whole field 26 announced too short
        with self.assertRaisesRegex(ValueError, "wrong length|Malformed"):
            brcode.parse(_with_crc(body.replace("2658", "2657")))

    def test_parse_refuses_wrong_nesting_and_fields(self):
        body = BACEN_EXAMPLE[:-8]
        cases = {
            "one Pix merchant account": body.replace("bcb.pix", "bcb.pax"),
            "must start with": body.replace("000201", "000202", 1),
            "currency": body.replace("5303986", "5303840"),
            "appears twice": body + "5802BR",
            "no txid": body.replace("62070503***", "62070703***"),
            "key or a location URL": body.replace(
                "0136123e4567-e12b-12d1-a456-426655440000",
                "0136123e4567-e12b-12d1-a456-4266554400002503a.b",
            ).replace("2658", "2665"),
        }
        for message, payload in cases.items():
            with self.assertRaisesRegex(ValueError, message, msg=message):
                brcode.parse(_with_crc(payload))
        with self.assertRaisesRegex(ValueError, "printable ASCII"):
            brcode.parse(BACEN_EXAMPLE.replace("Fulano", "Fulanõ"))

    # === Properties === #

    @settings(max_examples=150, deadline=None)
    @given(
        key=_KEYS,
        name=st.text(min_size=1, max_size=40),
        city=st.text(min_size=1, max_size=30),
        amount=_AMOUNTS,
        txid=_TXIDS,
        message=_MESSAGES,
    )
    @example(
        key=EVP_KEY, name="Fulano de Tal", city="BRASILIA", amount=None, txid="***",
        message=None,
    )  # fmt: skip
    def test_static_round_trip(self, key, name, city, amount, txid, message):
        name_n = brcode.normalize_text(name, brcode.NAME_MAX)
        city_n = brcode.normalize_text(city, brcode.CITY_MAX)
        message_n = brcode.normalize_text(message, upper=False) or None
        values = dict(
            key=key, name=name, city=city, amount=amount, txid=txid, message=message
        )
        account_length = 22 + len(key) + (4 + len(message_n) if message_n else 0)
        if not (name_n and city_n) or account_length > brcode.ACCOUNT_FIELD_MAX:
            # beyond the standard's limits: refused, never cut silently
            with self.assertRaises(ValueError):
                brcode.build(**values)
            return
        payload = brcode.build(**values)
        data = brcode.parse(payload)
        self.assertEqual(data["key"], key)
        self.assertEqual(data["name"], name_n)
        self.assertEqual(data["city"], city_n)
        self.assertEqual(data["amount"], amount)
        self.assertEqual(data["txid"], txid)
        self.assertEqual(data["message"], message_n)
        self.assertIsNone(data["url"])

    @settings(max_examples=60, deadline=None)
    @given(url=_URLS, amount=_AMOUNTS)
    def test_dynamic_round_trip(self, url, amount):
        payload = brcode.build(url=url, name="Fulano", city="Brasilia", amount=amount)
        data = brcode.parse(payload)
        self.assertEqual((data["url"], data["amount"]), (url, amount))
        self.assertEqual(data["txid"], "***")

    @settings(max_examples=200, deadline=None)
    @given(
        key=_KEYS.filter(lambda key: len(key) <= 60),
        amount=_AMOUNTS,
        txid=_TXIDS,
        data=st.data(),
    )
    def test_any_one_character_change_is_refused(self, key, amount, txid, data):
        if data.draw(st.booleans(), label="dynamic"):
            url = data.draw(_URLS, label="url")
            payload = brcode.build(url=url, name="F", city="B", amount=amount)
        else:
            payload = brcode.build(
                key=key, name="Fulano", city="Brasilia", amount=amount, txid=txid
            )
        index = data.draw(st.integers(0, len(payload) - 1), label="index")
        char = data.draw(_PRINTABLE.filter(lambda c: c != payload[index]), label="char")
        changed = payload[:index] + char + payload[index + 1 :]
        with self.assertRaises(ValueError):
            brcode.parse(changed)
