# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""A dynamic PIX whose creation answer was lost (timeout, connection reset): the PSP
made the charge, Odoo does not know it. Its txid is the transaction's own, so a retry
finds that charge instead of making a second one, and a cancellation removes it."""

from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import bacen_client, brcode
from .common import PixBrDynamicCommon
from .fake_psp import PREFIX

CLIENT_LOGGER = "odoo.addons.payment_pix_br.tools.bacen_client"
REASON = "Abandoned: the first payment never came."


@tagged("post_install", "-at_install")
class TestPixLostAnswer(PixBrDynamicCommon):
    def _draft_tx_with_lost_answer(self, amount=150.0):
        """A draft transaction whose `PUT /cob/{txid}` was done at the PSP but whose
        answer never came back, nor that of the read back that followed (the
        network is down); return it, its invoice and the charge made."""
        invoice = self._create_invoice(amount=amount)
        tx, _form = self._start_invoice_payment(invoice)
        self.fake.lose_answers("PUT")
        self.fake.lose_answers("GET")
        with mute_logger(CLIENT_LOGGER):  # the connection error is logged
            self.assertFalse(tx._br_issue_charge())
        self.assertEqual(tx.state, "draft", "kept for a retry, not in error")
        self.assertIn("try again", tx.state_message)
        self.assertFalse(tx.pix_br_txid)
        self.assertEqual(len(self.fake.cobs), 1, "made at the PSP all the same")
        (cob,) = self.fake.cobs.values()
        return invoice, tx, cob

    def test_txid_is_the_transactions_own(self):
        _invoice, tx = self._pending_invoice_tx()
        txid = tx._pix_br_cob_txid()
        self.assertEqual(tx.pix_br_txid, txid)
        self.assertRegex(txid, r"^[a-z0-9]{32}$")
        self.assertEqual(tx._pix_br_cob_txid(), txid, "the same on every attempt")
        _invoice, other_tx = self._pending_invoice_tx()
        self.assertNotEqual(other_tx.pix_br_txid, txid)
        # The same id and reference made again later (a backup restored): another
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = create_date - %s "
            "WHERE id = %s",
            [timedelta(days=1), tx.id],
        )
        tx.invalidate_recordset(["create_date"])
        restored = tx._pix_br_cob_txid()
        self.assertNotEqual(restored, txid)
        # Another database sharing the PSP account asks for other txids.
        self.env["ir.config_parameter"].set_param("database.uuid", "another-db")
        self.assertNotEqual(tx._pix_br_cob_txid(), restored)

    def test_lost_answer_read_back_at_once(self):
        invoice = self._create_invoice(amount=150.0)
        tx, _form = self._start_invoice_payment(invoice)
        self.fake.lose_answers("PUT")
        with mute_logger(CLIENT_LOGGER):
            self.assertTrue(tx._br_issue_charge())
        self.assertEqual(self.fake.count("PUT", f"{PREFIX}/cob/"), 1)
        self.assertEqual(self.fake.count("GET", f"{PREFIX}/cob/"), 1, "read back")
        self.assertEqual(tx.state, "pending")
        self.assertEqual(list(self.fake.cobs), [tx.pix_br_txid])

    def test_retry_after_a_lost_answer_makes_no_second_charge(self):
        _invoice, tx, cob = self._draft_tx_with_lost_answer()
        with mute_logger(CLIENT_LOGGER):  # the PSP's refusal (txid used) is logged
            self.assertTrue(tx._br_issue_charge())
        self.assertEqual(len(self.fake.cobs), 1, "no second charge at the PSP")
        self.assertEqual(self.fake.count("PUT", f"{PREFIX}/cob/"), 2)
        self.assertEqual(self.fake.count("GET", f"{PREFIX}/cob/"), 2, "read back")
        self.assertEqual(tx.state, "pending")
        self.assertEqual(tx.pix_br_txid, cob["txid"])
        self.assertEqual(brcode.parse(tx.pix_br_code)["url"], cob["loc"]["location"])
        # The payer pays that charge: the webhook confirms the transaction.
        self.fake.pay(tx.pix_br_txid)
        self._deliver_webhooks()
        self.assertEqual(tx.state, "done")

    def test_lost_answer_then_cancel_removes_the_charge(self):
        _invoice, tx, cob = self._draft_tx_with_lost_answer()
        tx._br_cancel_charge(REASON)
        self.assertEqual(cob["status"], "REMOVIDA_PELO_USUARIO_RECEBEDOR")
        self.assertEqual(self.fake.count("PATCH", f"{PREFIX}/cob/{cob['txid']}"), 1)
        self.assertEqual((tx.state, tx.state_message), ("cancel", REASON))
        self.assertEqual(tx.pix_br_txid, cob["txid"])
        with self.assertRaises(ValueError, msg="the payer can no longer pay it"):
            self.fake.pay(cob["txid"])

    def test_cancel_of_a_draft_never_at_the_psp_cancels(self):
        invoice = self._create_invoice()
        tx, _form = self._start_invoice_payment(invoice)
        with mute_logger(CLIENT_LOGGER):  # the PSP's 404 is logged
            tx._br_cancel_charge(REASON)
        self.assertEqual((tx.state, tx.state_message), ("cancel", REASON))
        self.assertEqual(self.fake.count("PATCH", f"{PREFIX}/cob/"), 1)
        self.assertFalse(self.fake.cobs, "nothing made at the PSP")
        self.assertFalse(tx.pix_br_txid)

    def test_paid_after_a_lost_answer_is_applied_not_cancelled(self):
        invoice, tx, cob = self._draft_tx_with_lost_answer()
        self.fake.pay(cob["txid"])
        self.fake.webhooks.clear()  # its webhook names a txid Odoo does not know yet
        with mute_logger(CLIENT_LOGGER):  # the PSP's 400 (not ATIVA) is logged
            tx._br_cancel_charge(REASON)
        self.assertEqual(cob["status"], "CONCLUIDA")
        self.assertEqual(tx.state, "done", "paid at the PSP: never cancelled here")
        self.assertEqual(tx.pix_br_txid, cob["txid"])
        tx._post_process()
        self.assertTrue(tx.payment_id)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_retry_after_the_charge_was_paid_confirms(self):
        _invoice, tx, cob = self._draft_tx_with_lost_answer()
        self.fake.pay(cob["txid"])
        with mute_logger(CLIENT_LOGGER):
            tx._br_issue_charge()
        self.assertEqual(tx.state, "done")
        self.assertEqual(len(self.fake.cobs), 1)

    def test_another_charge_under_the_txid_is_not_taken(self):
        invoice = self._create_invoice(amount=150.0)
        tx, _form = self._start_invoice_payment(invoice)
        txid = tx._pix_br_cob_txid()
        client = self.pix_provider._pix_br_get_client()
        other = {
            "calendario": {"expiracao": 3600},
            "valor": {"original": "1.00"},
            "chave": self.pix_provider.pix_br_key,
        }
        client.put_cob(txid, other)
        with mute_logger(CLIENT_LOGGER):
            self.assertFalse(tx._br_issue_charge())
        self.assertEqual(tx.state, "error")
        self.assertIn("another charge", tx.state_message)
        self.assertFalse(tx.pix_br_code)
        self.assertEqual(self.fake.cobs[txid]["valor"]["original"], "1.00")

    def test_retry_that_cannot_read_the_charge_stays_draft(self):
        _invoice, tx, _cob = self._draft_tx_with_lost_answer()
        self.fake.lose_answers("GET")  # the txid is refused, the read back lost
        with mute_logger(CLIENT_LOGGER):
            self.assertFalse(tx._br_issue_charge())
        self.assertEqual(tx.state, "draft", "the charge may exist: kept for a retry")
        self.assertEqual(len(self.fake.cobs), 1, "the retry made none")
        with mute_logger(CLIENT_LOGGER):
            self.assertTrue(tx._br_issue_charge())
        self.assertEqual(tx.state, "pending")
        self.assertEqual(len(self.fake.cobs), 1)

    def test_fake_psp_does_the_request_whose_answer_it_loses(self):
        client = self.pix_provider._pix_br_get_client()
        body = {
            "calendario": {"expiracao": 3600},
            "valor": {"original": "10.00"},
            "chave": self.pix_provider.pix_br_key,
        }
        client.get_token("cob.write")
        self.fake.lose_answers("PUT")
        with (
            mute_logger(CLIENT_LOGGER),
            self.assertRaises(bacen_client.BacenPixUnavailable),
        ):
            client.put_cob("C" * 32, body)
        self.assertEqual(self.fake.cobs["C" * 32]["status"], "ATIVA")
        self.assertFalse(self.fake.lost["PUT"], "only the next answer is lost")
        self.assertEqual(client.get_cob("C" * 32)["txid"], "C" * 32)
