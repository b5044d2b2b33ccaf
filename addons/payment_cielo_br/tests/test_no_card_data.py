# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""After payments, no card number is anywhere in the database or the log."""

import logging

from odoo.tests import tagged

from ..models import payment_provider
from .common import CARD_AUTHORISED, CARD_DENIED, CieloBrCommon

TEXT_TYPES = ("text", "character varying", "jsonb", "json", "bytea")


@tagged("post_install", "-at_install")
class TestNoCardData(CieloBrCommon):
    def _tables_containing(self, needle):
        """Every (table, column) of the database whose text holds `needle`."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """SELECT c.table_name, c.column_name, c.data_type
                 FROM information_schema.columns c
                 JOIN information_schema.tables t
                   ON t.table_name = c.table_name AND t.table_schema = c.table_schema
                WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                  AND c.data_type IN %s""",
            [TEXT_TYPES],
        )
        by_table = {}
        for table, column, data_type in cr.fetchall():
            by_table.setdefault(table, []).append((column, data_type))
        found = []
        for table, columns in by_table.items():
            for column, data_type in columns:
                expression = (
                    f"encode(\"{column}\", 'escape')"
                    if data_type == "bytea"
                    else f'"{column}"::text'
                )
                cr.execute(
                    f'SELECT 1 FROM "{table}" WHERE {expression} LIKE %s LIMIT 1',
                    [f"%{needle}%"],
                )
                if cr.fetchone():
                    found.append((table, column))
        return found

    def test_no_card_number_in_database_nor_log(self):
        last_attachment = self.env["ir.attachment"].search([], order="id desc", limit=1)
        with self.assertLogs("odoo", level=logging.DEBUG) as captured:
            logging.getLogger("odoo.addons.payment_cielo_br").debug("start")
            token = self._pay_in_form(CARD_AUTHORISED, tokenize=True).token_id
            self._pay_in_form(CARD_DENIED, tokenize=False, reference="DENIED-1")
            invoice = self._create_invoice()
            invoice._cielo_br_charge_with_token(token)
            tx = invoice.transaction_ids
            tx._send_refund_request(amount_to_refund=10.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment", "partial"))
        log = "\n".join(captured.output)
        self.assertIn(tx.reference, log)  # the log was captured
        for number in (CARD_AUTHORISED, CARD_DENIED):
            self.assertNotIn(number, log)
            self.assertNotIn(number[6:], log)  # not even the middle digits
            self.assertEqual(self._tables_containing(number), [])
            self.assertEqual(self._tables_containing(number[6:12]), [])
        attachments = self.env["ir.attachment"].search(
            [("id", ">", last_attachment.id)]
        )
        for attachment in attachments:
            self.assertNotIn(CARD_AUTHORISED.encode(), attachment.raw or b"")
        # The CardToken pays: kept in the token only, never written to the log by
        # this addon nor by the payment flow (SQL debugging aside).
        log_without_sql = "\n".join(
            line for line in captured.output if ":odoo.sql_db:" not in line
        )
        self.assertNotIn(token.provider_ref, log_without_sql)
        # The fake Cielo did receive the cards (they went there, not to Odoo).
        self.assertIn(CARD_AUTHORISED, self.fake.sale_cards.values())

    def test_tokens_that_pay_are_redacted_from_logged_answers(self):
        answer = {
            "MerchantOrderId": "X-1",
            "Payment": {
                "CreditCard": {"CardNumber": "402400******2931", "CardToken": "t-1"},
                "Links": [{"PaymentToken": "t-2"}],
            },
        }
        redacted = payment_provider.redact(answer)
        self.assertEqual(redacted["Payment"]["CreditCard"]["CardToken"], "***")
        self.assertEqual(redacted["Payment"]["Links"][0]["PaymentToken"], "***")
        self.assertEqual(
            redacted["Payment"]["CreditCard"]["CardNumber"], "402400******2931"
        )
        self.assertEqual(answer["Payment"]["CreditCard"]["CardToken"], "t-1")
