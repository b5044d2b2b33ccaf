# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Efí in a contract's life (issue 16): payment_br_base's hooks (the server issues the
boleto, links and dates it, cancels it at Efí), the operator's cancel, and the
scheduled check of pending boletos, against the fake Efí."""

from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..exceptions import EfiBrUnavailableError
from .common import EfiBrCommon

PROVIDER_LOGGER = "odoo.addons.payment_efi_br.models.payment_provider"
TX_LOGGER = "odoo.addons.payment_efi_br.models.payment_transaction"


@tagged("post_install", "-at_install")
class TestEfiLifecycle(EfiBrCommon):
    def _server_tx(self, reference="EFI-LIFE-1", invoice=None):
        """A transaction made by the server (the finishing job, the billing run),
        its boleto issued through payment_br_base's hook."""
        invoice = invoice or self._create_invoice()
        tx = self._create_transaction(
            "redirect",
            reference=reference,
            amount=invoice.amount_residual,
            invoice_ids=[Command.set(invoice.ids)],
        )
        return tx

    def _issued_tx(self, reference="EFI-LIFE-1", invoice=None):
        tx = self._server_tx(reference, invoice)
        self.assertTrue(tx._br_issue_charge())
        self.fake.notifications.clear()  # nothing to deliver: lost notifications
        return tx

    def _charge(self, tx):
        return self.fake.charges[tx.provider_reference]

    # --- payment_br_base's hooks ---

    def test_the_server_issues_the_boleto_and_links_it(self):
        self.assertTrue(self.efi._br_issues_charge_without_payer())
        tx = self._server_tx()
        self.assertTrue(tx._br_issue_charge())
        self.assertEqual(tx.state, "pending")
        self.assertEqual(len(self.fake.charges), 1)
        charge = self._charge(tx)
        self.assertEqual(charge["custom_id"], tx.reference)
        self.assertEqual(tx._br_get_expiry_date(), tx.efi_br_due_date)
        self.assertEqual(
            tx._br_get_expiry_date(), fields.Date.to_date(charge["expire_at"])
        )
        # the member's link: the boleto's page, without a session
        url = tx._br_get_charge_url()
        self.assertTrue(url.startswith(f"/payment/efi_br/boleto/{tx.id}?"))
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(charge["barcode"], page.text)
        self.assertIn(charge["pdf"]["charge"], page.text)
        # issuing again makes no second charge
        tx._br_issue_charge()
        self.assertEqual(self.fake.count("POST", "/v1/charge/one-step"), 1)

    def test_efi_down_keeps_the_charge_for_a_retry(self):
        tx = self._server_tx()
        self.fake.fail_next.append((503, {"error": "unavailable"}))
        with mute_logger(PROVIDER_LOGGER, TX_LOGGER):
            self.assertFalse(tx._br_issue_charge())
        self.assertEqual(tx.state, "draft")
        self.assertTrue(tx.efi_br_retry_needed)
        self.assertFalse(self.fake.charges)

    # --- cancel ---

    def test_cancel_at_efi_then_a_printed_copy_paid(self):
        tx = self._issued_tx()
        tx._br_cancel_charge("Abandoned: the first payment never came.")
        self.assertEqual(
            self.fake.count("PUT", f"/v1/charge/{tx.provider_reference}/cancel"), 1
        )
        self.assertEqual(self._charge(tx)["status"], "canceled")
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(tx.efi_br_status, "canceled")
        self.assertEqual(tx.state_message, "Abandoned: the first payment never came.")
        # Efí's notification of the cancel changes nothing more
        self.assertEqual([r.status_code for r in self._deliver_notifications()], [200])
        self.assertEqual(tx.state, "cancel")
        # a copy printed before the cancel is paid: the money is received
        self.fake.pay(tx.provider_reference)
        self.assertEqual([r.status_code for r in self._deliver_notifications()], [200])
        self.assertEqual(tx.state, "done")

    def test_cancel_of_a_boleto_paid_meanwhile_confirms_the_payment(self):
        tx = self._issued_tx()
        self.fake.pay(tx.provider_reference)
        self.fake.notifications.clear()  # the notification is late
        with mute_logger(PROVIDER_LOGGER):
            tx._br_cancel_charge("Abandoned")
        self.assertEqual(self._charge(tx)["status"], "paid", "Efí refused the cancel")
        self.assertEqual(tx.state, "done")

    def test_cancel_after_a_lost_answer_cancels_the_charge_made(self):
        tx = self._server_tx()
        self.efi._efi_br_get_access_token()
        self.fake.drop_next = True  # the boleto is made, the answer lost
        with mute_logger(PROVIDER_LOGGER, TX_LOGGER):
            self.assertFalse(tx._br_issue_charge())
        self.assertEqual(tx.state, "draft")
        (charge_id,) = self.fake.charges
        tx._br_cancel_charge("Abandoned")
        self.assertEqual(tx.provider_reference, charge_id)
        self.assertEqual(self.fake.charges[charge_id]["status"], "canceled")
        self.assertEqual(tx.state, "cancel")
        self.assertFalse(tx.efi_br_retry_needed)
        self.env["payment.transaction"]._cron_efi_br_retry()
        self.assertEqual(self.fake.count("POST", "/v1/charge/one-step"), 1)

    def test_cancel_while_efi_is_down_changes_nothing(self):
        tx = self._issued_tx()
        self.fake.fail_next.append((503, {"error": "unavailable"}))
        with (
            mute_logger(PROVIDER_LOGGER),
            self.assertRaises(EfiBrUnavailableError),
        ):
            tx._br_cancel_charge("Abandoned")
        self.assertEqual(tx.state, "pending")
        self.assertEqual(self._charge(tx)["status"], "waiting")

    def test_cancel_of_a_draft_never_sent_calls_nobody(self):
        tx = self._server_tx()
        tx._br_cancel_charge("Abandoned")
        self.assertEqual(tx.state, "cancel")
        self.assertFalse(self.fake.requests)

    def test_the_operator_cancels_the_boleto_at_efi(self):
        tx = self._issued_tx()
        tx.action_efi_br_cancel()
        self.assertEqual(self._charge(tx)["status"], "canceled")
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(tx.state_message, "Cancelled by the seller")

    # --- the scheduled check ---

    def test_poll_applies_efi_states_and_one_failure_stops_nothing(self):
        paid, cancelled, failing, waiting = (
            self._issued_tx(f"EFI-POLL-{n}") for n in range(4)
        )
        self.fake.pay(paid.provider_reference)
        self.fake.cancel(cancelled.provider_reference)
        self.fake.notifications.clear()  # every notification lost
        del self.fake.charges[failing.provider_reference]  # Efí answers an error
        Transaction = self.env["payment.transaction"]
        with (
            mute_logger(PROVIDER_LOGGER, TX_LOGGER),
            patch.object(
                type(Transaction),
                "_handle_notification_data",
                autospec=True,
                side_effect=type(Transaction)._handle_notification_data,
            ) as handle,
        ):
            self.assertEqual(len(Transaction._cron_efi_br_poll()), 4)
        # through the notification's own path
        self.assertEqual(handle.call_count, 3)
        self.assertEqual(paid.state, "done")
        self.assertEqual(cancelled.state, "cancel")
        self.assertEqual(failing.state, "pending")
        self.assertEqual(waiting.state, "pending")
        self.assertTrue(failing.efi_br_last_poll, "checked again at a later run")
        # a boleto just checked is not read again before the interval
        reads = self.fake.count("GET", f"/v1/charge/{waiting.provider_reference}")
        self.assertFalse(Transaction._cron_efi_br_poll())
        self.assertEqual(
            self.fake.count("GET", f"/v1/charge/{waiting.provider_reference}"), reads
        )

    def test_poll_reads_a_batch_the_least_recently_checked_first(self):
        first, second = self._issued_tx("EFI-B-1"), self._issued_tx("EFI-B-2")
        first.efi_br_last_poll = fields.Datetime.now() - timedelta(hours=7)
        Transaction = self.env["payment.transaction"]
        self.assertEqual(Transaction._cron_efi_br_poll(batch_size=1), second)
        self.assertEqual(Transaction._cron_efi_br_poll(batch_size=1), first)
        self.assertFalse(Transaction._cron_efi_br_poll(batch_size=1))

    def test_poll_cancels_a_boleto_whose_invoice_was_paid_otherwise(self):
        invoice = self._create_invoice()
        tx = self._issued_tx(invoice=invoice)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.env["payment.transaction"]._cron_efi_br_poll()
        self.assertEqual(self._charge(tx)["status"], "canceled")
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(tx.state_message, "Invoice paid by other means")

    def test_a_payment_held_for_a_manual_check_is_not_confirmed_by_a_read(self):
        tx = self._issued_tx()
        self.fake.pay(tx.provider_reference, value=100)  # R$ 1.00 of R$ 150.00
        self.assertEqual([r.status_code for r in self._deliver_notifications()], [200])
        self.assertEqual(tx.state, "pending")
        self.assertIn("checked by hand", tx.state_message)
        tx.action_efi_br_refresh()
        self.assertEqual(tx.state, "pending")
        reads = self.fake.count("GET", f"/v1/charge/{tx.provider_reference}")
        self.env["payment.transaction"]._cron_efi_br_poll()
        self.assertEqual(
            self.fake.count("GET", f"/v1/charge/{tx.provider_reference}"), reads
        )
        self.assertEqual(tx.state, "pending")
