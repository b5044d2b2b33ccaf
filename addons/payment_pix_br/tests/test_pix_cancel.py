# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cancelling a PIX charge (`_br_cancel_charge`, e.g. an abandoned signup): a dynamic
PIX is removed at the PSP (`PATCH /cob/{txid}`) before it is cancelled here."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import bacen_client
from .common import PixBrDynamicCommon
from .fake_psp import PREFIX, PROBLEM

CLIENT_LOGGER = "odoo.addons.payment_pix_br.tools.bacen_client"
REASON = "Abandoned: the first payment never came."


@tagged("post_install", "-at_install")
class TestPixCancel(PixBrDynamicCommon):
    def _patch(self, txid, body):
        """A raw `PATCH /cob/{txid}` with the client's token and certificate."""
        client = self.pix_provider._pix_br_get_client()
        return client._send(
            "PATCH",
            f"{self.fake.url}{PREFIX}/cob/{txid}",
            json=body,
            headers={"Authorization": f"Bearer {client.get_token('cob.write')}"},
        )

    def test_cancel_removes_the_charge_at_the_psp(self):
        _invoice, tx = self._pending_invoice_tx()
        txid = tx.pix_br_txid
        tx._br_cancel_charge(REASON)
        self.assertEqual(self.fake.count("PATCH", f"{PREFIX}/cob/{txid}"), 1)
        self.assertEqual(
            self.fake.cobs[txid]["status"], "REMOVIDA_PELO_USUARIO_RECEBEDOR"
        )
        self.assertEqual(self.fake.cobs[txid]["revisao"], 1)
        self.assertEqual((tx.state, tx.state_message), ("cancel", REASON))
        with self.assertRaises(ValueError, msg="the payer can no longer pay it"):
            self.fake.pay(txid)
        # A late (or forged) payment webhook for it changes nothing: the PSP is read.
        self.fake.webhooks.append({"pix": [{"txid": txid, "valor": "100.00"}]})
        self.assertEqual([r.status_code for r in self._deliver_webhooks()], [200])
        self.assertEqual(tx.state, "cancel")
        self.assertFalse(tx.payment_id)

    def test_paid_charge_is_confirmed_not_cancelled(self):
        invoice, tx = self._pending_invoice_tx()
        self.fake.pay(tx.pix_br_txid)
        self.fake.webhooks.clear()  # its webhook is not here yet
        with mute_logger(CLIENT_LOGGER):  # the PSP's 400 is logged
            tx._br_cancel_charge(REASON)
        self.assertEqual(self.fake.cobs[tx.pix_br_txid]["status"], "CONCLUIDA")
        self.assertEqual(tx.state, "done", "paid at the PSP: never cancelled here")
        self.assertEqual(self.fake.count("GET", f"{PREFIX}/cob/"), 1, "read back")
        tx._post_process()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_removal_whose_answer_was_lost_cancels(self):
        _invoice, tx = self._pending_invoice_tx()
        # An earlier PATCH went through but its answer was lost: the PSP now refuses
        # it (no longer ATIVA) and the charge read back is removed.
        self.fake.cobs[tx.pix_br_txid]["status"] = "REMOVIDA_PELO_USUARIO_RECEBEDOR"
        with mute_logger(CLIENT_LOGGER):
            tx._br_cancel_charge(REASON)
        self.assertEqual(self.fake.count("PATCH", f"{PREFIX}/cob/"), 1)
        self.assertEqual(self.fake.count("GET", f"{PREFIX}/cob/"), 1, "read back")
        self.assertEqual((tx.state, tx.state_message), ("cancel", REASON))

    def test_psp_down_raises_and_changes_nothing(self):
        _invoice, tx = self._pending_invoice_tx()
        for failure in ((503, {"title": "Servico indisponivel"}), "unreachable"):
            with self.subTest(failure=failure):
                if failure == "unreachable":
                    url = self.pix_provider.pix_br_api_url
                    self.pix_provider.pix_br_api_url = "https://127.0.0.1:9"
                else:
                    self.fake.fail_next.append(failure)
                with (
                    mute_logger(CLIENT_LOGGER),
                    self.assertRaisesRegex(ValidationError, "cannot be reached"),
                ):
                    tx._br_cancel_charge(REASON)
                if failure == "unreachable":
                    self.pix_provider.pix_br_api_url = url
                self.assertEqual(tx.state, "pending")
                self.assertEqual(self.fake.cobs[tx.pix_br_txid]["status"], "ATIVA")
        # The next day's run removes it.
        tx._br_cancel_charge(REASON)
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(
            self.fake.cobs[tx.pix_br_txid]["status"], "REMOVIDA_PELO_USUARIO_RECEBEDOR"
        )

    def test_static_pix_is_only_cancelled_here(self):
        self.pix_provider.pix_br_mode = "static"
        _invoice, tx = self._pending_invoice_tx()
        tx._br_cancel_charge(REASON)
        self.assertEqual((tx.state, tx.state_message), ("cancel", REASON))
        self.assertFalse(self.fake.requests, "no PSP for a static PIX")

    # === The fake PSP refuses what BACEN's spec refuses === #

    def test_psp_refuses_revisions_the_spec_refuses(self):
        _invoice, tx = self._pending_invoice_tx()
        txid = tx.pix_br_txid
        removal = {"status": "REMOVIDA_PELO_USUARIO_RECEBEDOR"}
        bad_bodies = [
            ({"status": "ATIVA"}, "cob.status"),
            ({"status": "REMOVIDA_PELO_PSP"}, "cob.status"),
            (dict(removal, valor={"original": "1.00"}), "cob.status"),
            (dict(removal, cor="azul"), "cob.cor"),
        ]
        for body, prop in bad_bodies:
            with self.subTest(body=body):
                response = self._patch(txid, body)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(
                    response.headers["Content-Type"], "application/problem+json"
                )
                content = response.json()
                self.assertEqual(content["type"], PROBLEM + "CobOperacaoInvalida")
                self.assertEqual(content["status"], 400)
                self.assertEqual(content["violacoes"][0]["propriedade"], prop)
        self.assertEqual(self.fake.cobs[txid]["status"], "ATIVA")
        unknown = self._patch("C" * 32, removal)
        self.assertEqual(unknown.status_code, 404)
        self.assertEqual(unknown.json()["type"], PROBLEM + "CobNaoEncontrado")
        self.assertEqual(self._patch(txid, removal).status_code, 200)
        again = self._patch(txid, removal)
        self.assertEqual(again.status_code, 400, "no longer ATIVA")
        self.assertEqual(again.json()["title"], "Operação inválida.")

    def test_psp_refuses_to_remove_a_paid_charge(self):
        _invoice, tx = self._pending_invoice_tx()
        self.fake.pay(tx.pix_br_txid)
        client = self.pix_provider._pix_br_get_client()
        with (
            mute_logger(CLIENT_LOGGER),
            self.assertRaisesRegex(bacen_client.BacenPixError, "HTTP 400") as caught,
        ):
            client.remove_cob(tx.pix_br_txid)
        self.assertNotIsInstance(caught.exception, bacen_client.BacenPixUnavailable)
        self.assertEqual(self.fake.cobs[tx.pix_br_txid]["status"], "CONCLUIDA")
