# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
from urllib.parse import urlencode

from odoo import http
from odoo.http import request

from odoo.addons.payment import utils as payment_utils

# Read at most this much of one uploaded file: anything larger is refused anyway.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class CoworkingSignupController(http.Controller):
    """Public plan page, signup POST and thank-you page. Thin: the work is done by
    ``coworking.signup``; each step is an overridable ``_prepare_*`` helper."""

    # Plan page
    @http.route(
        "/coworking/plan/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET"],
    )
    def plan_page(self, token, **kwargs):
        plan = request.env["coworking.plan"]._get_by_public_token(token)
        if not plan:
            return self._render_unavailable()
        plan._coworking_count_visit()
        return request.render(
            "coworking_online_signup.plan_page",
            self._prepare_plan_page_values(plan, values={}, errors={}),
        )

    @http.route(
        "/coworking/plan/<string:token>/signup",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["POST"],
    )
    def plan_signup(self, token, **post):
        plan = request.env["coworking.plan"]._get_by_public_token(token)
        if not plan:
            return self._render_unavailable()
        Signup = request.env["coworking.signup"]
        values = Signup._prepare_form_values(post)
        if values["honeypot"]:
            # a robot filled the hidden field: refuse like a bad form, keep nothing
            return self._render_form(plan, values, {"form": ""}, status=400)
        done = Signup._find_submission(values["submission_token"])
        if done.contract_id and done.plan_id == plan:
            return request.redirect(self._get_next_url(done))
        ip_address = request.httprequest.remote_addr
        if Signup._is_throttled(ip_address):
            return request.render(
                "coworking_online_signup.signup_throttled", {"plan": plan}, status=429
            )
        files = self._prepare_files(plan)
        current_user = None if request.env.user._is_public() else request.env.user
        errors = Signup._validate_signup(plan, values, files, current_user=current_user)
        if errors:
            return self._render_form(plan, values, errors, status=400)
        submission = Signup._create_signup(plan, values, files, ip_address=ip_address)
        return request.redirect(self._get_next_url(submission))

    @http.route(
        "/coworking/signup/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET"],
    )
    def signup_done(self, token, **kwargs):
        submission = request.env["coworking.signup"]._find_submission(token)
        if not submission.contract_id:
            return self._render_unavailable()
        return request.render(
            "coworking_online_signup.signup_done",
            self._prepare_done_values(submission),
        )

    # Helpers
    def _render_unavailable(self):
        return request.render(
            "coworking_online_signup.plan_unavailable", {}, status=404
        )

    def _render_form(self, plan, values, errors, status=200):
        return request.render(
            "coworking_online_signup.plan_page",
            self._prepare_plan_page_values(plan, values=values, errors=errors),
            status=status,
        )

    def _prepare_plan_page_values(self, plan, values, errors):
        Signup = request.env["coworking.signup"]
        providers = Signup._get_signup_providers(plan)
        # passwords and files are never sent back
        safe_values = {
            k: v
            for k, v in values.items()
            if k not in ("password", "password_confirm", "submission_token")
        }
        return {
            "plan": plan,
            "providers": providers,
            "address_provider_ids": [
                p.id for p in providers if p._coworking_requires_address()
            ],
            "states": Signup._get_brazil_states(),
            "values": safe_values,
            "errors": errors,
            # a new one-time token per rendered form (B2)
            "submission_token": secrets.token_urlsafe(24),
            "action": f"/coworking/plan/{plan.access_token}/signup",
        }

    def _prepare_files(self, plan):
        files = {}
        for document in plan.document_ids:
            upload = request.httprequest.files.get(f"document_{document.id}")
            if upload and upload.filename:
                files[document.id] = (
                    upload.filename,
                    upload.stream.read(MAX_UPLOAD_BYTES),
                )
        return files

    def _get_next_url(self, submission):
        """The payment page of the signup, with the chosen provider: its first
        invoice once issued, else its sale order (the invoice follows the payment)."""
        submission = submission.sudo()
        invoice = submission.invoice_id
        if invoice:
            document, amount = invoice, invoice.amount_residual
            partner, key = invoice.partner_id, "invoice_id"
        else:
            document = submission.sale_order_id
            amount = document.amount_total - document.amount_paid
            partner, key = document.partner_invoice_id, "sale_order_id"
        if not document or document.currency_id.compare_amounts(amount, 0) <= 0:
            return f"/coworking/signup/{submission.token}"
        params = {
            key: document.id,
            "amount": amount,
            "access_token": payment_utils.generate_access_token(
                partner.id, amount, document.currency_id.id
            ),
            "coworking_signup": submission.token,
        }
        return "/payment/pay?" + urlencode(params)

    def _prepare_done_values(self, submission):
        submission = submission.sudo()
        if submission.state == "pending":
            # the visitor is back before the finishing job: finish now, so the
            # page can link the invoice
            request.env["coworking.signup"]._finish_signup(submission)
        invoice = submission.invoice_id
        transactions = (
            submission.sale_order_id.transaction_ids | invoice.transaction_ids
        )
        return {
            "submission": submission,
            # a boleto or PIX already issued: wait for it rather than pay twice
            "pending_tx": transactions.filtered(
                lambda tx: tx.state in ("pending", "authorized")
            )[:1],
            "plan": submission.plan_id,
            "contract": submission.contract_id,
            "invoice": invoice,
            "invoice_url": invoice.get_portal_url() if invoice else False,
            "pay_url": self._get_next_url(submission),
            "paid": invoice.payment_state in ("paid", "in_payment"),
        }
