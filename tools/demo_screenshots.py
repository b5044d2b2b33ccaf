"""Screenshots for the README, taken from `make run`'s demo in headless Chromium.

Walks the demo's main journey as a visitor (plan page, signup with PIX, payment page,
the PIX code), then signs up again with the same CPF as somebody else (the signup
waits for a proof of identity). Run while `make run` serves the demo::

    .venv/bin/python tools/demo_screenshots.py --url http://127.0.0.1:8069

It writes PNG files to docs/screenshots/ (Chromium from Debian's `chromium`).
"""

import argparse
import base64
import json
import subprocess
import tempfile
import time
import urllib.request
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--plan-url", help="a plan link (default: the first printed)")
    parser.add_argument("--cpf", default="390.533.447-05")
    parser.add_argument("--email", default="paula.pix@example.com")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    browser = Browser()
    try:
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
        browser.js(
            "[...document.querySelectorAll('.form-check')]"
            ".find(e => e.textContent.includes('PIX'))"
            ".querySelector('input[name=provider_id]').click()"
        )
        browser.js("document.querySelector('[name=terms_accepted]').click()")
        browser.js("document.querySelector('button.o_coworking_submit').click()")
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
        browser.js(
            "[...document.querySelectorAll('.form-check')]"
            ".find(e => e.textContent.includes('PIX'))"
            ".querySelector('input[name=provider_id]').click()"
        )
        browser.js("document.querySelector('[name=terms_accepted]').click()")
        browser.js("document.querySelector('button.o_coworking_submit').click()")
        browser.wait("document.querySelector('.o_coworking_identity')")
        browser.shot("demo_identity_to_confirm_pt_BR.png")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
