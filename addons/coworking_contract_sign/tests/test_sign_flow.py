# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hashlib
import re

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SIGNATURE, ContractSignCase

MEMBER_A = {"login": "maria.silva@example.com", "password": "s3cret-pass"}


@tagged("post_install", "-at_install")
class TestSignFlow(ContractSignCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.contract_sign_trigger = "signup"

    def _signed_up_member(self, **form):
        submission = self._signup(**form)
        contract = submission.contract_id
        self.assertEqual(contract.coworking_sign_state, "sent")
        return submission, contract, contract._coworking_member_signer()

    def test_signup_sends_the_contract_then_the_member_signs_in_the_portal(self):
        submission, contract, signer = self._signed_up_member()
        request = contract.coworking_sign_request_id
        # the request holds the contract PDF as generated at signup
        self.assertEqual(request.data, contract.coworking_contract_document_id.datas)
        self.assertEqual(request.state, "0_sent")
        self.assertEqual(signer.partner_id, submission.person_id)
        self.assertEqual(len(request.signer_ids), 1, "the plan has no operator signer")
        # sign_oca's e-mail with the link went to the member
        mail = (
            self.env["mail.mail"]
            .search([("recipient_ids", "in", submission.person_id.ids)])
            .filtered(lambda m: signer.access_url in (m.body_html or ""))
        )
        self.assertTrue(mail, "the member got the link to sign")

        self.authenticate(MEMBER_A["login"], MEMBER_A["password"])
        page = self.url_open(f"/my/coworking/{contract.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(signer.access_url, page.text, "the contract page links to it")
        signing = self.url_open(signer.access_url)
        self.assertEqual(signing.status_code, 200)
        self.assertIn("sign_oca", signing.text)
        content = self.url_open(
            f"/sign_oca/content/{signer.id}/{signer.access_token}"
        ).content
        self.assertEqual(
            content, base64.b64decode(contract.coworking_contract_document_id.datas)
        )

        result = self._sign_as_member(signer)
        self.assertNotIn("error", result)
        self.assertEqual(contract.coworking_sign_state, "signed")
        self.assertEqual(contract.coworking_signed_by, "Maria Silva")
        self.assertTrue(contract.coworking_signed_on)
        self.assertEqual(contract.coworking_signed_ip, "127.0.0.1")
        signed_pdf = base64.b64decode(contract.coworking_signed_document_id.datas)
        self.assertTrue(signed_pdf.startswith(b"%PDF"))
        self.assertNotEqual(
            signed_pdf, base64.b64decode(contract.coworking_contract_document_id.datas)
        )
        self.assertEqual(
            contract.coworking_signed_document_hash,
            hashlib.sha256(signed_pdf).hexdigest(),
        )
        self.assertNotEqual(
            contract.coworking_signed_document_hash,
            contract.coworking_contract_document_hash,
        )
        # the member downloads what they signed
        download = self.url_open(f"/my/coworking/{contract.id}/contract.pdf")
        self.assertEqual(download.content, signed_pdf)

        # the plan's terms change: what the member signed does not
        signed_data = request.data
        self.plan.write({"terms": "<p>New rules.</p>", "terms_version": "2026-07"})
        with self.rendering_pdf():
            contract.with_context(
                force_report_rendering=True
            )._coworking_attach_contract_document()
        self.assertEqual(request.data, signed_data)
        self.assertEqual(
            hashlib.sha256(
                base64.b64decode(contract.coworking_signed_document_id.datas)
            ).hexdigest(),
            contract.coworking_signed_document_hash,
        )
        self.assertEqual(
            base64.b64decode(contract.coworking_signed_document_id.datas), signed_pdf
        )
        with self.assertRaises(UserError):
            contract.action_coworking_request_signature()

    def test_member_cannot_open_another_members_request(self):
        _sub_a, contract_a, signer_a = self._signed_up_member()
        _sub_b, contract_b, signer_b = self._signed_up_member(
            token="two",
            cpf="111.444.777-35",
            email="joao.souza@example.com",
            name="Joao Souza",
        )
        self.authenticate("joao.souza@example.com", "s3cret-pass")
        # B's own token on A's signer, or none: sign_oca sends B away
        for url in (
            f"/sign_oca/document/{signer_a.id}/{signer_b.access_token}",
            f"/sign_oca/content/{signer_a.id}/{signer_b.access_token}",
            f"/sign_oca/document/{signer_a.id}/x",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"), url)
        # signing A's request with B's token signs nothing
        items = {
            key: dict(item, value=SIGNATURE)
            for key, item in signer_a.request_id.signatory_data.items()
        }
        self._json(
            f"/sign_oca/sign/{signer_a.id}/{signer_b.access_token}", {"items": items}
        )
        self.assertFalse(signer_a.signed_on)
        self.assertEqual(contract_a.coworking_sign_state, "sent")
        # A's contract page and A's PDF
        for url in (
            f"/my/coworking/{contract_a.id}",
            f"/my/coworking/{contract_a.id}/contract.pdf",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
        listing = self.url_open("/my/sign_requests").text
        self.assertIn(contract_b.name, listing)
        self.assertNotIn(contract_a.name, listing)
        # once A signed: sign_oca's download of a signed request checks nothing,
        # ours gives it to its signers only
        self._sign_as_member(signer_a)
        self.assertEqual(contract_a.coworking_sign_state, "signed")
        url = f"/my/sign/{contract_a.coworking_sign_request_id.id}/download"
        self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 404)
        self.authenticate(MEMBER_A["login"], MEMBER_A["password"])
        self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 303)

    def test_member_refuses_to_sign(self):
        _sub, contract, signer = self._signed_up_member()
        self.authenticate(MEMBER_A["login"], MEMBER_A["password"])
        page = self.url_open(f"/my/coworking/{contract.id}")
        self.assertIn("sign/refuse", page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/my/coworking/{contract.id}/sign/refuse", data={"csrf_token": csrf}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(contract.coworking_sign_state, "refused")
        self.assertEqual(contract.coworking_sign_request_id.state, "3_cancel")
        self.assertFalse(signer.signed_on)
        # the operator may send it again
        with self.rendering_pdf():
            contract.with_context(
                force_report_rendering=True
            ).action_coworking_request_signature()
        self.assertEqual(contract.coworking_sign_state, "sent")
        self.assertNotEqual(contract.coworking_sign_request_id, signer.request_id)

    def test_operator_signs_after_the_member(self):
        operator = self.env.ref("base.user_admin")
        self.plan.write(
            {"contract_operator_signs": True, "contract_operator_id": operator.id}
        )
        _sub, contract, signer = self._signed_up_member()
        request = contract.coworking_sign_request_id
        self.assertEqual(
            request.signer_ids.partner_id, signer.partner_id | operator.partner_id
        )
        self._sign_as_member(signer)
        self.assertEqual(
            contract.coworking_sign_state, "sent", "the operator has not signed"
        )
        self.assertEqual(contract.coworking_signed_by, "Maria Silva")
        self.assertFalse(contract.coworking_signed_document_id)
        operator_signer = request.signer_ids - signer
        self._sign_as_member(operator_signer)
        self.assertEqual(contract.coworking_sign_state, "signed")
        self.assertTrue(contract.coworking_signed_document_id)
        self.assertEqual(
            contract.coworking_signed_by, "Maria Silva", "the member's signature"
        )
