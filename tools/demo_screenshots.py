"""Screenshots for the README, taken from `make run`'s demo in headless Chromium.

Walks the demo's main journey as a visitor (plan page, signup with PIX, payment page,
the PIX code), then signs up again with the same CPF as somebody else (the signup
waits for a proof of identity). With `--sign-plan-url` (a plan that sends its contract
for signature at signup: the demo's "Fixed desk"), signs up there too and takes the
page where the member signs the contract (coworking_contract_sign). Run while
`make run` serves the demo::

    .venv/bin/python tools/demo_screenshots.py --url http://127.0.0.1:8069 \
        --plan-url <Hot desk link> --sign-plan-url <Fixed desk link>

It writes PNG files to docs/screenshots/ (Chromium from Debian's `chromium`).
"""

import argparse
import base64
import json
import random
import subprocess
import tempfile
import time
import urllib.request
import xmlrpc.client
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


class Browser:
    """Just enough of the Chrome DevTools Protocol to click through a journey."""

    def __init__(self, port=9333, width=1280, height=900, lang="pt-BR"):
        self.profile = tempfile.mkdtemp(prefix="cw-shots-")
        self.proc = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--lang={lang}",
                f"--accept-lang={lang}",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={port}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _i in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as resp:
                    pages = [p for p in json.load(resp) if p["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"])
        self.next_id = 0
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message.get("result", {})

    def js(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True
        )["result"]
        return result.get("value")

    def goto(self, url):
        self.call("Page.navigate", url=url)
        self.wait("document.readyState === 'complete'")

    def wait(self, condition, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.js(f"!!({condition})"):
                    time.sleep(0.5)
                    return
            except RuntimeError:
                pass
            time.sleep(0.3)
        raise TimeoutError(condition)

    def shot(self, name, full=True):
        params = {"format": "png"}
        if full:
            metrics = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params.update(
                captureBeyondViewport=True,
                clip={
                    "x": 0,
                    "y": 0,
                    "width": metrics["width"],
                    "height": min(metrics["height"], 2400),
                    "scale": 1,
                },
            )
        data = self.call("Page.captureScreenshot", **params)["data"]
        path = OUT / name
        path.write_bytes(base64.b64decode(data))
        print("wrote", path.relative_to(ROOT))

    def close(self):
        self.ws.close()
        self.proc.terminate()


def fill(browser, values):
    for name, value in values.items():
        browser.js(
            f"(() => {{ const el = document.querySelector('[name={name}]');"
            f" el.value = {json.dumps(value)};"
            " el.dispatchEvent(new Event('input', {bubbles: true}));"
            " el.dispatchEvent(new Event('change', {bubbles: true})); })()"
        )


def submit_with_pix(browser):
    """Choose PIX, accept the terms and send the signup form."""
    browser.js(
        "[...document.querySelectorAll('.form-check')]"
        ".find(e => e.textContent.includes('PIX'))"
        ".querySelector('input[name=provider_id]').click()"
    )
    browser.js("document.querySelector('[name=terms_accepted]').click()")
    browser.js("document.querySelector('button.o_coworking_submit').click()")


def random_cpf():
    """A valid CPF nobody has: each run signs up a new member."""
    digits = [random.randint(0, 9) for _i in range(9)]
    for size in (9, 10):
        total = sum(d * (size + 1 - i) for i, d in enumerate(digits))
        digits.append(total * 10 % 11 % 10)
    return "{}{}{}.{}{}{}.{}{}{}-{}{}".format(*digits)


def signing_link(url, db, email, timeout=120):
    """The link of the e-mail that asks ``email`` to sign (read as admin through
    XML-RPC): the signup's finishing job makes it moments after the signup."""
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    uid = common.authenticate(db, "admin", "admin", {})
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
    deadline = time.time() + timeout
    while time.time() < deadline:
        signers = models.execute_kw(
            db,
            uid,
            "admin",
            "sign.oca.request.signer",
            "search_read",
            [[("partner_id.email", "=", email), ("signed_on", "=", False)]],
            {"fields": ["access_url"], "order": "id desc", "limit": 1},
        )
        if signers:
            return url + signers[0]["access_url"]
        time.sleep(2)
    raise TimeoutError(f"no signature request for {email}")


def sign_journey(browser, args):
    """Sign up on a plan that sends its contract for signature at signup, then open
    the signing link of the e-mail the member gets."""
    email = f"sofia.sign.{int(time.time())}@example.com"
    browser.goto(args.sign_plan_url)
    fill(
        browser,
        {
            "name": "Sofia Assina",
            "cpf": args.sign_cpf or random_cpf(),
            "email": email,
            "phone": "(11) 96666-5555",
            "password": "demo-pass-123",
            "password_confirm": "demo-pass-123",
        },
    )
    browser.js(
        "(() => { const doc = document.querySelector('input[type=file]');"
        " if (doc) { const dt = new DataTransfer();"
        " dt.items.add(new File(['%PDF-1.4\\n%%EOF\\n'], 'rg.pdf',"
        " {type: 'application/pdf'})); doc.files = dt.files;"
        " doc.dispatchEvent(new Event('change', {bubbles: true})); } })()"
    )
    submit_with_pix(browser)
    # the signup is made: the thank-you/payment page replaces the form
    browser.wait("!document.querySelector('button.o_coworking_submit')", timeout=60)
    browser.goto(signing_link(args.url, args.db, email))
    # sign_oca draws the PDF with pdf.js in an iframe, then the signature boxes
    browser.wait(
        "document.querySelector('iframe') && document.querySelector('iframe')"
        ".contentDocument.querySelector('.page canvas, .page .textLayer')",
        timeout=60,
    )
    time.sleep(3)
    browser.shot("demo_sign_contract_pt_BR.png", full=False)
    # "Click to start": the viewer goes to the member's signature box
    browser.js(
        "document.querySelector('iframe').contentDocument"
        ".querySelector('.o_sign_sign_item_navigator').click()"
    )
    time.sleep(2)
    # the signature dialog: adopt the name drawn in script; the member then only
    # has to validate (not done here: the demo member stays "sent")
    browser.js("[...document.querySelectorAll('.modal-footer button')][0].click()")
    time.sleep(2)
    browser.shot("demo_sign_pt_BR.png", full=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--plan-url", help="a plan link (default: the first printed)")
    parser.add_argument("--cpf", default="390.533.447-05")
    parser.add_argument("--email", default="paula.pix@example.com")
    parser.add_argument(
        "--sign-plan-url", help="a plan that sends its contract for signature"
    )
    parser.add_argument("--sign-cpf", help="default: a new valid CPF")
    parser.add_argument("--db", default="coworking")
    parser.add_argument(
        "--only-sign", action="store_true", help="only the signing page"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    browser = Browser()
    try:
        if args.sign_plan_url:
            sign_journey(browser, args)
        if args.only_sign:
            return
        browser.goto(args.plan_url)
        browser.shot("demo_plan_page_pt_BR.png")
        fill(
            browser,
            {
                "name": "Paula Pix",
                "cpf": args.cpf,
                "email": args.email,
                "phone": "(11) 98888-7777",
            },
        )
        submit_with_pix(browser)
        browser.wait("document.querySelector('#o_payment_form, .o_payment_form')")
        browser.shot("demo_payment_page_pt_BR.png")
        browser.wait(
            "document.querySelector(\"button[name='o_payment_submit_button']\")"
            " && !document.querySelector(\"button[name='o_payment_submit_button']\")"
            ".disabled"
        )
        browser.js(
            "document.querySelector(\"button[name='o_payment_submit_button']\").click()"
        )
        browser.wait("document.querySelector('.o_pix_br .o_pix_br_qr')")
        browser.shot("demo_pix_code_pt_BR.png")
        # someone else types the same CPF: nothing of that client is shown, the
        # signup waits for a proof of identity
        browser.goto(args.plan_url)
        fill(
            browser,
            {
                "name": "Ivo Intruso",
                "cpf": args.cpf,
                "email": "ivo.intruso@example.com",
                "phone": "(11) 97777-6666",
            },
        )
        submit_with_pix(browser)
        browser.wait("document.querySelector('.o_coworking_identity')")
        browser.shot("demo_identity_to_confirm_pt_BR.png")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
