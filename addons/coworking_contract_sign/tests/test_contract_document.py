# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hashlib
import io

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import ContractSignCase


@tagged("post_install", "-at_install")
class TestContractDocument(ContractSignCase):
    def _html(self, contract):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "coworking_contract_sign.report_contract_document", contract.ids
            )[0]
            .decode()
        )

    def test_signup_attaches_the_contract_pdf_with_the_member_data(self):
        submission = self._signup()
        contract = submission.contract_id
        document = contract.coworking_contract_document_id
        self.assertTrue(document, "the finishing job generated the contract")
        self.assertEqual(document.res_model, "sale.subscription")
        self.assertEqual(document.res_id, contract.id)
        pdf = base64.b64decode(document.datas)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(
            contract.coworking_contract_document_hash, hashlib.sha256(pdf).hexdigest()
        )
        # two pages: the contract, then the signatures
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 2)
        text = self._html(contract)
        for expected in (
            "Maria Silva",
            "529.982.247-25",  # the member's CPF
            "Avenida Paulista, 1000",  # the member's address
            contract.name,
            "Fixed desk",
            "Paulista",  # the unit
            "800",  # monthly price
            "150",  # setup fee
            "Meeting room hours",  # quotas
            "2026-01",  # the terms version
            "The rules of the house.",  # the terms
        ):
            self.assertIn(expected, text)
        self.assertEqual(
            contract.coworking_sign_state, "to_send", "the plan sends it manually"
        )
        self.assertFalse(contract.coworking_sign_request_id)

    def test_contract_in_the_member_language(self):
        self.env["res.lang"]._activate_lang("pt_BR")
        self.env["ir.module.module"].search(
            [("name", "=", "coworking_contract_sign")]
        )._update_translations("pt_BR")
        submission = self._signup()
        contract = submission.contract_id
        contract._coworking_sign_member().lang = "pt_BR"
        html = self._html(contract)
        self.assertIn("Contrato de serviços de coworking", html)
        self.assertIn("2026-01", html)
