# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""HTTP side of the fake Efí charges API: hands a request to the fake
(`fake.dispatch`) and writes its JSON answer. `drop_next` plays a lost answer: the
request is processed, then the connection is closed without an answer."""

import json
from urllib.parse import urlparse

from odoo.addons.payment_br_base.tests.fake_https import FakeHttpsHandler


class FakeEfiHandler(FakeHttpsHandler):
    def _answer(self, status, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_body(status, data, "application/json")

    def _handle(self, method):
        fake = self.fake
        path = urlparse(self.path).path
        raw = self.read_body()
        params = self.query_params()
        with fake.lock:
            fake.requests.append((method, path))
            if fake.fail_next:
                return self._answer(*fake.fail_next.pop(0))
            status, body = fake.dispatch(method, path, params, raw, self.headers)
            drop = fake.drop_next
            fake.drop_next = False
        if drop:
            self.close_connection = True
            return
        return self._answer(status, body)
