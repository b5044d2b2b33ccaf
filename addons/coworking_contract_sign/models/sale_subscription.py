# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines: one file per model (OCA), and this addon's whole behaviour is on
# the contract (document, request, signature record, hooks, jobs); splitting it by
# mixins would only scatter one flow.
import base64
import hashlib
import io
import logging
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import PdfFileReader

_logger = logging.getLogger(__name__)

MEMBER_ROLE = "coworking_contract_sign.sign_role_member"
OPERATOR_ROLE = "coworking_contract_sign.sign_role_operator"
# Where the signatures go on the contract's last page (the signatures page of
# report_contract_document), in % of the page: x, y, width, height.
SIGNATURE_BOXES = [(4, 24, 42, 8.5), (54, 24, 42, 8.5)]
# Contracts sent for signature per run of the queue job.
QUEUE_BATCH_SIZE = 20


class SaleSubscription(models.Model):
    _inherit = "sale.subscription"

    coworking_contract_document_id = fields.Many2one(
        "ir.attachment",
        string="Contract document",
        readonly=True,
        copy=False,
        help="The contract PDF as generated (and sent for signature).",
    )
    coworking_contract_document_hash = fields.Char(
        string="Document SHA-256", readonly=True, copy=False
    )
    coworking_sign_request_id = fields.Many2one(
        "sign.oca.request",
        string="Signature request",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    coworking_sign_state = fields.Selection(
        [
            ("to_send", "To send"),
            ("sent", "Sent"),
            ("signed", "Signed"),
            ("refused", "Refused"),
        ],
        string="Signature",
        compute="_compute_coworking_sign_state",
        store=True,
        index=True,
        tracking=True,
    )
    coworking_sign_sent_on = fields.Datetime(
        string="Sent for signature on", readonly=True
    )
    coworking_sign_reminder_sent_on = fields.Datetime(
        string="Signature reminder sent on", readonly=True, copy=False
    )
    coworking_sign_refused_on = fields.Datetime(
        string="Signature refused on", readonly=True, copy=False
    )
    coworking_sign_queued = fields.Boolean(
        string="Signature request queued",
        readonly=True,
        copy=False,
        help="The payment was confirmed and the plan sends the contract for "
        "signature then: the queue job sends it within moments.",
    )
    coworking_signed_document_id = fields.Many2one(
        "ir.attachment", string="Signed contract", readonly=True, copy=False
    )
    coworking_signed_document_hash = fields.Char(
        string="Signed document SHA-256", readonly=True, copy=False
    )
    coworking_signed_by = fields.Char(string="Signed By", readonly=True, copy=False)
    coworking_signed_on = fields.Datetime(string="Signed On", readonly=True, copy=False)
    coworking_signed_ip = fields.Char(
        string="Signed from IP", readonly=True, copy=False
    )

    @api.depends(
        "coworking_plan_id",
        "coworking_sign_request_id.state",
        "coworking_sign_refused_on",
    )
    def _compute_coworking_sign_state(self):
        for contract in self:
            state = contract.coworking_sign_request_id.state
            if not contract.coworking_plan_id:
                contract.coworking_sign_state = False
            elif state == "2_signed":
                contract.coworking_sign_state = "signed"
            elif state == "0_sent":
                contract.coworking_sign_state = "sent"
            elif state == "3_cancel" and contract.coworking_sign_refused_on:
                contract.coworking_sign_state = "refused"
            else:
                # no request yet, or one an operator cancelled
                contract.coworking_sign_state = "to_send"

    # The contract document
    def _coworking_sign_member(self):
        """Who signs for the client: the person who signed up, else the client."""
        self.ensure_one()
        submission = (
            self.sudo().coworking_submission_ids.filtered("person_id").sorted("id")[-1:]
        )
        return submission.person_id or self.partner_id

    def _coworking_address_line(self, partner):
        """``partner``'s address on one line, without the parts it does not have."""
        parts = [
            partner.street,
            partner.street2,
            partner.city,
            partner.state_id.code,
            partner.zip,
        ]
        line = ", ".join(part for part in parts if part)
        return f"{line}, {partner.country_id.name}" if line else ""

    def _coworking_render_contract_pdf(self):
        """The plan's contract template rendered for this contract (wkhtmltopdf).

        Returns None where Odoo renders HTML instead (its test mode without
        ``force_report_rendering``): there is no PDF to keep then."""
        self.ensure_one()
        report = self.coworking_plan_id._get_contract_report()
        content, kind = (
            self.env["ir.actions.report"]
            .sudo()
            .with_company(self.company_id)
            ._render_qweb_pdf(report, self.ids)
        )
        return content if kind == "pdf" else None

    def _coworking_attach_contract_document(self):
        """Render the contract PDF and keep it on the contract, with its SHA-256."""
        for contract in self.sudo().filtered("coworking_plan_id"):
            if contract.coworking_sign_state in ("sent", "signed"):
                continue  # what was sent is what is signed
            pdf = contract._coworking_render_contract_pdf()
            if pdf is None:
                continue
            attachment = self.env["ir.attachment"].create(
                {
                    "name": _("%(contract)s - contract.pdf", contract=contract.name),
                    "mimetype": "application/pdf",
                    "raw": pdf,
                    "res_model": contract._name,
                    "res_id": contract.id,
                    "company_id": contract.company_id.id,
                }
            )
            contract.write(
                {
                    "coworking_contract_document_id": attachment.id,
                    "coworking_contract_document_hash": hashlib.sha256(pdf).hexdigest(),
                }
            )
        return True

    def action_coworking_generate_document(self):
        self.check_access("write")
        self._coworking_attach_contract_document()
        return True

    # The signature request
    def action_coworking_request_signature(self):
        """Send the contracts for signature (form button and list action): the
        ones already sent or signed are left as they are."""
        self.check_access("write")
        todo = self.filtered(
            lambda c: c.coworking_plan_id
            and c.coworking_sign_state in ("to_send", "refused")
        )
        if len(self) == 1 and not todo:
            raise UserError(
                _(
                    "Contract %(contract)s was already sent for signature or signed.",
                    contract=self.display_name,
                )
            )
        for contract in todo:
            contract._coworking_request_signature()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "%(sent)s contract(s) sent for signature, %(skipped)s left as "
                    "they were (already sent, signed or without a plan).",
                    sent=len(todo),
                    skipped=len(self - todo),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _coworking_request_signature(self):
        """Create the sign_oca request of this contract and send it to the signers.

        The request holds the contract PDF as it is now: later changes to the
        plan (its terms, its template) do not change what the member signs."""
        self.ensure_one()
        contract = self.sudo()
        if not contract.coworking_contract_document_id:
            contract._coworking_attach_contract_document()
        if not contract.coworking_contract_document_id:
            raise UserError(
                _(
                    "Contract %(contract)s has no contract document to sign.",
                    contract=contract.display_name,
                )
            )
        plan = contract.coworking_plan_id
        member = contract._coworking_sign_member()
        if not member.email:
            raise UserError(
                _(
                    "Contract %(contract)s: %(member)s has no e-mail address to "
                    "send the contract to.",
                    contract=contract.display_name,
                    member=member.display_name,
                )
            )
        signers = [(self.env.ref(MEMBER_ROLE), member)]
        if plan.contract_operator_signs:
            signers.append(
                (self.env.ref(OPERATOR_ROLE), plan.contract_operator_id.partner_id)
            )
        data = contract.coworking_contract_document_id.datas
        pages = len(PdfFileReader(io.BytesIO(base64.b64decode(data))).pages)
        request = (
            self.env["sign.oca.request"]
            .sudo()
            .with_company(contract.company_id)
            .create(
                {
                    "name": _("Contract %(contract)s", contract=contract.name),
                    "data": data,
                    "filename": f"{contract.name}.pdf",
                    "record_ref": f"{contract._name},{contract.id}",
                    "company_id": contract.company_id.id,
                    "signer_ids": [
                        Command.create({"partner_id": partner.id, "role_id": role.id})
                        for role, partner in signers
                    ],
                }
            )
        )
        signature = self.env.ref("sign_oca.sign_field_signature")
        for (role, _partner), box in zip(signers, SIGNATURE_BOXES, strict=False):
            x, y, width, height = box
            request.add_item(
                {
                    "field_id": signature.id,
                    "role_id": role.id,
                    "required": True,
                    "page": pages,
                    "position_x": x,
                    "position_y": y,
                    "width": width,
                    "height": height,
                }
            )
        request.with_context(lang=member.lang).action_send(
            message=_(
                "Please read and sign the contract %(contract)s of plan %(plan)s.",
                contract=contract.name,
                plan=plan.name,
            )
        )
        contract.write(
            {
                "coworking_sign_request_id": request.id,
                "coworking_sign_sent_on": fields.Datetime.now(),
                "coworking_sign_reminder_sent_on": False,
                "coworking_sign_refused_on": False,
                "coworking_sign_queued": False,
            }
        )
        contract.message_post(
            body=_(
                "Contract sent for signature to %(signers)s.",
                signers=", ".join(partner.name for _role, partner in signers),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return request

    def _coworking_member_signer(self):
        self.ensure_one()
        member_role = self.env.ref(MEMBER_ROLE)
        return self.sudo().coworking_sign_request_id.signer_ids.filtered(
            lambda s: s.role_id == member_role
        )[:1]

    def _coworking_sign_url(self):
        """The member's link to the signing page (it carries the signer's token)."""
        self.ensure_one()
        signer = self._coworking_member_signer()
        if not signer:
            return False
        return f"{self.get_base_url()}{signer.access_url}"

    def _coworking_signer_signed(self, signer):
        """``signer`` signed this contract's request: keep who, when and from
        where; once every signer signed, keep the signed PDF and its SHA-256."""
        self.ensure_one()
        contract = self.sudo()
        if signer.role_id == self.env.ref(MEMBER_ROLE):
            log = (
                self.env["sign.oca.request.log"]
                .sudo()
                .search(
                    [("signer_id", "=", signer.id), ("action", "=", "sign")],
                    order="id desc",
                    limit=1,
                )
            )
            contract.write(
                {
                    "coworking_signed_by": signer.partner_id.name,
                    "coworking_signed_on": signer.signed_on,
                    "coworking_signed_ip": log.ip,
                }
            )
        request = signer.request_id
        if request.state != "2_signed":
            return
        pdf = base64.b64decode(request.data)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": _(
                        "%(contract)s - signed contract.pdf", contract=contract.name
                    ),
                    "mimetype": "application/pdf",
                    "raw": pdf,
                    "res_model": contract._name,
                    "res_id": contract.id,
                    "company_id": contract.company_id.id,
                }
            )
        )
        contract.write(
            {
                "coworking_signed_document_id": attachment.id,
                "coworking_signed_document_hash": hashlib.sha256(pdf).hexdigest(),
            }
        )
        contract.message_post(
            body=_(
                "Contract signed by %(signer)s. SHA-256 of the signed document: "
                "%(hash)s",
                signer=contract.coworking_signed_by or signer.partner_id.name,
                hash=contract.coworking_signed_document_hash,
            ),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _coworking_refuse_signature(self):
        """The member declines to sign: the request is cancelled."""
        self.ensure_one()
        contract = self.sudo()
        if contract.coworking_sign_state != "sent":
            return False
        contract.coworking_sign_refused_on = fields.Datetime.now()
        contract.coworking_sign_request_id.cancel()
        contract.message_post(
            body=_(
                "%(member)s refused to sign the contract.",
                member=contract._coworking_sign_member().name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    # Hooks of coworking_online_signup
    def _coworking_signup_finished(self, submission):
        """Override: the finishing job (never the visitor's request) generates the
        contract document, and sends it for signature when the plan says so."""
        res = super()._coworking_signup_finished(submission)
        for contract in self.filtered("coworking_plan_id"):
            contract._coworking_safely(contract._coworking_attach_contract_document)
            if (
                contract.coworking_plan_id.contract_sign_trigger == "signup"
                and contract.coworking_sign_state == "to_send"
            ):
                contract._coworking_safely(contract._coworking_request_signature)
        return res

    def _coworking_activate_benefits(self):
        """Override: at payment confirmation, queue the signature request of plans
        that send it then (payments can be confirmed in the visitor's request: the
        PDF is rendered by the queue job)."""
        res = super()._coworking_activate_benefits()
        waiting = self.filtered(
            lambda c: c.coworking_plan_id.contract_sign_trigger == "payment"
            and not c.coworking_sign_request_id
            and not c.coworking_sign_queued
        )
        if waiting:
            waiting.sudo().coworking_sign_queued = True
            self.env.ref(
                "coworking_contract_sign.ir_cron_contract_sign_queue"
            ).sudo()._trigger()
        return res

    def _coworking_safely(self, method):
        """Run ``method`` in a savepoint: a contract document that cannot be made
        never loses the signup. The error is kept on the contract's chatter."""
        try:
            with self.env.cr.savepoint():
                method()
        except Exception as error:  # noted on the contract and logged
            _logger.warning(
                "Contract %s: contract document or signature failed: %s",
                self.id,
                error,
            )
            self.sudo().message_post(
                body=_(
                    "The contract document could not be generated or sent for "
                    "signature: %(error)s",
                    error=str(error) or repr(error),
                ),
                subtype_xmlid="mail.mt_note",
            )

    # Jobs
    @api.model
    def _cron_coworking_sign_queue(self, batch_size=QUEUE_BATCH_SIZE):
        """Send the signature requests queued at payment confirmation."""
        domain = [("coworking_sign_queued", "=", True)]
        contracts = self.sudo().search(domain, order="id", limit=batch_size)
        for contract in contracts:
            if contract.coworking_sign_state in ("to_send", "refused"):
                contract._coworking_safely(contract._coworking_request_signature)
            contract.coworking_sign_queued = False
        remaining = self.sudo().search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(contracts), remaining=remaining)
        return True

    @api.model
    def _cron_coworking_sign_reminders(self):
        """One reminder to members who have not signed N days after the request
        (N: Settings, per company; zero: no reminder)."""
        template = self.env.ref("coworking_contract_sign.mail_template_sign_reminder")
        now = fields.Datetime.now()
        for company in self.env["res.company"].sudo().search([]):
            days = company.coworking_sign_reminder_days
            if days <= 0:
                continue
            contracts = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("coworking_sign_state", "=", "sent"),
                    ("coworking_sign_reminder_sent_on", "=", False),
                    ("coworking_sign_sent_on", "<=", now - timedelta(days=days)),
                ]
            )
            for contract in contracts:
                signer = contract._coworking_member_signer()
                if not signer or signer.signed_on:
                    continue
                template.send_mail(contract.id)
                contract.coworking_sign_reminder_sent_on = now
        return True
