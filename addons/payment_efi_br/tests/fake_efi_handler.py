# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""HTTP side of the fake Efí charges API: parses a request, hands it to the fake
(`fake.dispatch`) and writes its JSON answer. `drop_next` plays a lost answer: the
request is processed, then the connection is closed without an answer."""

import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse


class FakeEfiHandler(BaseHTTPRequestHandler):
    def log_message(self, *_args):  # Quiet: the test log must stay clean.
        return

    def _answer(self, status, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method):
        fake = self.server.fake
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        with fake.lock:
            fake.requests.append((method, url.path))
            if fake.fail_next:
                return self._answer(*fake.fail_next.pop(0))
            status, body = fake.dispatch(method, url.path, params, raw, self.headers)
            drop = fake.drop_next
            fake.drop_next = False
        if drop:
            self.close_connection = True
            return
        return self._answer(status, body)

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")
