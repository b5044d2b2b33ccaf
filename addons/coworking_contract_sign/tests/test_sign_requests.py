# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import ContractSignCase


@tagged("post_install", "-at_install")
class TestSignRequests(ContractSignCase):
    def test_mass_request_from_the_list(self):
        contracts = (
            self._signup().contract_id
            | self._signup(
                token="two", cpf="111.444.777-35", email="joao@example.com"
            ).contract_id
            | self._signup(
                token="three", cpf="390.533.447-05", email="ana@example.com"
            ).contract_id
        )
        self.assertEqual(set(contracts.mapped("coworking_sign_state")), {"to_send"})
        first = contracts[0]
        with self.rendering_pdf():
            first.with_context(
                force_report_rendering=True
            )._coworking_request_signature()
        first_request = first.coworking_sign_request_id
        action = self.env.ref("coworking_contract_sign.action_server_request_signature")
        user = self.env["res.users"].create(
            {
                "name": "Desk",
                "login": "cw_desk",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "coworking_online_signup.group_coworking_user"
                            ).id
                        ],
                    )
                ],
            }
        )
        with self.rendering_pdf():
            result = (
                action.with_user(user)
                .with_context(
                    active_model="sale.subscription",
                    active_ids=contracts.ids,
                    force_report_rendering=True,
                )
                .run()
            )
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(set(contracts.mapped("coworking_sign_state")), {"sent"})
        self.assertEqual(
            first.coworking_sign_request_id, first_request, "not sent twice"
        )
        self.assertEqual(len(contracts.coworking_sign_request_id), 3)

    def test_request_at_payment_confirmation(self):
        self.plan.contract_sign_trigger = "payment"
        contract = self._signup().contract_id
        self.assertEqual(contract.coworking_sign_state, "to_send")
        contract._coworking_activate_benefits()  # the first invoice was paid
        self.assertTrue(contract.coworking_sign_queued)
        self.assertEqual(
            contract.coworking_sign_state, "to_send", "not in the payment's request"
        )
        with self.rendering_pdf():
            self.env["sale.subscription"].with_context(
                force_report_rendering=True
            )._cron_coworking_sign_queue()
        self.assertEqual(contract.coworking_sign_state, "sent")
        self.assertFalse(contract.coworking_sign_queued)
        # the next payments send nothing more
        request = contract.coworking_sign_request_id
        contract._coworking_activate_benefits()
        self.assertFalse(contract.coworking_sign_queued)
        self.assertEqual(contract.coworking_sign_request_id, request)

    def test_one_reminder_after_the_configured_days(self):
        self.plan.contract_sign_trigger = "signup"
        self.env.company.coworking_sign_reminder_days = 3
        contract = self._signup().contract_id
        self.assertEqual(contract.coworking_sign_state, "sent")
        Mail = self.env["mail.mail"]
        subject = f"Reminder: your contract {contract.name} waits for your signature"
        Contract = self.env["sale.subscription"]
        Contract._cron_coworking_sign_reminders()
        self.assertFalse(Mail.search([("subject", "=", subject)]), "too early")
        contract.coworking_sign_sent_on = fields.Datetime.now() - timedelta(
            days=3, minutes=1
        )
        Contract._cron_coworking_sign_reminders()
        reminder = Mail.search([("subject", "=", subject)])
        self.assertEqual(len(reminder), 1)
        self.assertIn(
            contract._coworking_member_signer().access_url, reminder.body_html
        )
        self.assertEqual(reminder.recipient_ids, contract._coworking_sign_member())
        Contract._cron_coworking_sign_reminders()
        self.assertEqual(len(Mail.search([("subject", "=", subject)])), 1, "only one")

    def test_list_filters_and_groups_by_signature_state(self):
        contract = self._signup().contract_id
        Contract = self.env["sale.subscription"]
        groups = Contract.read_group(
            [("coworking_plan_id", "=", self.plan.id)],
            ["coworking_sign_state"],
            ["coworking_sign_state"],
        )
        self.assertEqual([g["coworking_sign_state"] for g in groups], ["to_send"])
        self.assertEqual(
            Contract.search(
                [
                    ("coworking_plan_id", "=", self.plan.id),
                    ("coworking_sign_state", "=", "to_send"),
                ]
            ),
            contract,
        )
        self.assertFalse(
            Contract.search(
                [
                    ("coworking_plan_id", "=", self.plan.id),
                    ("coworking_sign_state", "=", "sent"),
                ]
            )
        )
