# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The HTTP side of the fake Cielo (`fake_cielo.FakeCieloServer`): routes,
authentication by the MerchantId/MerchantKey headers, the Silent Order Post, lost
answers and injected failures."""

import json
import re
import uuid
from urllib.parse import parse_qs, urlparse

from odoo.addons.payment_br_base.tests.fake_https import FakeHttpsHandler

from . import fake_cielo_rules as rules

CARD_PATH = re.compile(r"/1/card/([0-9a-fA-F-]{36})/?")
SALE_PATH = re.compile(r"/1/sales/([0-9a-fA-F-]{36})(?:/(capture|void))?/?")


class FakeCieloHandler(FakeHttpsHandler):
    protocol_version = "HTTP/1.1"
    _operation = None

    # --- plumbing ---

    def _reply(self, status, body=None, cors=False):
        data = json.dumps(body if body is not None else []).encode()
        # The Silent Order Post is called by the browser from the shop's site.
        headers = {"Access-Control-Allow-Origin": "*"} if cors else None
        self.send_body(status, data, "application/json; charset=utf-8", headers)

    def _start(self, operation, raw):
        """Record the call; answer an injected failure. Returns True when done."""
        self._operation = operation
        with self.fake.lock:
            self.fake.requests.append(
                (operation, self.command, self.path, raw, dict(self.headers))
            )
            failures = self.fake.failures.get(operation)
            failure = failures.pop(0) if failures else None
        if failure:
            self._reply(failure[0], failure[1])
            return True
        return False

    def _finish(self, status, body, cors=False):
        """Answer, unless this operation's answer is to be lost: then the work is
        done and the connection dropped without a word."""
        with self.fake.lock:
            lost = self.fake.lost.get(self._operation, 0)
            if lost:
                self.fake.lost[self._operation] = lost - 1
        if lost:
            self.close_connection = True
            self.connection.close()
            return
        self._reply(status, body, cors=cors)

    def _authenticated(self):
        refusal = rules.check_auth(
            self.headers, self.fake.merchant_id, self.fake.merchant_key
        )
        if refusal:
            self._reply(*refusal)
            return False
        return True

    # --- routes ---

    def do_POST(self):
        raw = self.read_body()
        path = urlparse(self.path).path
        if path == "/v1/card":
            return self._sop_card(raw)
        operation = {
            "/v2/accesstoken": "sop_access_token",
            "/1/card": "card_token",
            "/1/card/": "card_token",
            "/1/sales": "sale",
            "/1/sales/": "sale",
            "/1/zeroauth": "zero_auth",
        }.get(path)
        if not operation:
            return self._reply(404, [rules.error(0, "Resource not found")])
        if self._start(operation, raw) or not self._authenticated():
            return
        if operation == "sop_access_token":
            token = str(uuid.uuid4())
            with self.fake.lock:
                self.fake.sop_tokens.add(token)
            return self._finish(
                201, {"AccessToken": token, "TokenType": "bearer", "ExpiresIn": 1200}
            )
        body = self.json_body(raw)
        if body is None:
            return self._reply(400, [rules.error(126, "Request is invalid")])
        if operation == "zero_auth":
            return self._zero_auth(body)
        if operation == "card_token":
            errors = rules.check_card_fields(body)
            if not body.get("Brand") or body["Brand"] not in rules.BRANDS:
                errors.append(rules.error(185, "Brand not supported"))
            if errors:
                return self._reply(400, errors)
            with self.fake.lock:
                token = self.fake.tokenize_card(body)
            return self._finish(201, {"CardToken": token})
        errors = rules.check_sale(body)
        if errors:
            return self._reply(400, errors)
        with self.fake.lock:
            sale = self.fake.create_sale(body)
        if sale is None:
            return self._reply(400, [rules.error(130, "Could not get Credit Card")])
        return self._finish(201, sale)

    def _zero_auth(self, body):
        """`POST /1/zeroauth`: is the card valid, without charging it (sandbox:
        by the last digit)."""
        if not body.get("Brand") or body["Brand"] not in rules.BRANDS:
            return self._reply(400, [rules.error(185, "Brand not supported")])
        with self.fake.lock:
            card = self.fake.cards.get(body.get("CardToken")) or (
                body if body.get("CardNumber") else None
            )
        if not card:
            return self._reply(400, [rules.error(130, "Could not get Credit Card")])
        status, code, message = rules.sandbox_answer(str(card["CardNumber"]), False)
        valid = status == 1
        return self._finish(
            200,
            {
                "Valid": valid,
                "ReturnCode": "00" if valid else code,
                "ReturnMessage": "Transacao autorizada" if valid else message,
            },
        )

    def _sop_card(self, raw):
        """The browser posts the card (form-encoded) with the access token; Cielo
        answers a CardToken (EnableTokenize) or a single-use PaymentToken."""
        if self._start("sop_card", raw):
            return
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        with self.fake.lock:
            known = form.get("AccessToken") in self.fake.sop_tokens
        if not known:
            return self._reply(401, [rules.error(0, "Invalid AccessToken")], cors=True)
        card = {
            "CardNumber": form.get("RawNumber"),
            "Holder": form.get("HolderName"),
            "ExpirationDate": form.get("Expiration"),
            "SecurityCode": form.get("SecurityCode"),
        }
        errors = rules.check_card_fields(card)
        if errors:
            return self._reply(400, errors, cors=True)
        with self.fake.lock:
            if form.get("EnableTokenize") == "true":
                answer = {"CardToken": self.fake.tokenize_card(card)}
            else:
                token = str(uuid.uuid4())
                self.fake.payment_tokens[token] = card
                answer = {"PaymentToken": token}
        return self._finish(201, answer, cors=True)

    def do_PUT(self):
        raw = self.read_body()
        parsed = urlparse(self.path)
        match = SALE_PATH.fullmatch(parsed.path)
        if not match or not match.group(2):
            return self._reply(404, [rules.error(0, "Resource not found")])
        payment_id, action = match.groups()
        if self._start(action, raw) or not self._authenticated():
            return
        query = self.query_params()
        amount = query.get("amount")
        if amount is not None and not amount.isdigit():
            return self._reply(400, [rules.error(108, "Amount is invalid")])
        with self.fake.lock:
            if payment_id not in self.fake.sales:
                return self._reply(404, [])
            operation = self.fake.capture if action == "capture" else self.fake.void
            status, body = operation(payment_id, int(amount) if amount else None)
        if status >= 400:
            return self._reply(status, body)
        return self._finish(status, body)

    def do_GET(self):
        parsed = urlparse(self.path)
        query = self.query_params()
        if parsed.path.rstrip("/") == "/1/sales":
            if self._start("query_order", b"") or not self._authenticated():
                return
            order_id = query.get("merchantOrderId")
            if not order_id:
                return self._reply(
                    400, [rules.error(122, "MerchantOrderId is required")]
                )
            with self.fake.lock:
                found = [
                    {
                        "PaymentId": s["Payment"]["PaymentId"],
                        "ReceveidDate": s["Payment"]["ReceivedDate"],
                    }
                    for s in self.fake.sales_of(order_id)
                ]
            if not found:
                return self._reply(404, [])
            return self._finish(200, {"Payments": found})
        card = CARD_PATH.fullmatch(parsed.path)
        if card:
            if self._start("card_query", b"") or not self._authenticated():
                return
            with self.fake.lock:
                known = self.fake.cards.get(card.group(1))
            if not known:
                return self._reply(404, [])
            return self._finish(
                200,
                {
                    "CardNumber": rules.mask(str(known["CardNumber"])),
                    "Holder": known.get("Holder"),
                    "ExpirationDate": known.get("ExpirationDate"),
                },
            )
        match = SALE_PATH.fullmatch(parsed.path)
        if not match or match.group(2):
            return self._reply(404, [rules.error(0, "Resource not found")])
        if self._start("query", b"") or not self._authenticated():
            return
        with self.fake.lock:
            sale = self.fake.sales.get(match.group(1))
        if not sale:
            return self._reply(404, [])
        return self._finish(200, sale)
