# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from odoo.addons.payment import utils as payment_utils

from ..models.coworking_plan_document import MAX_DOCUMENTS_TOTAL_MB

# Largest signup request accepted (B7): a plan's documents together (at most 20 MB
# each, MAX_DOCUMENTS_TOTAL_MB in all) and the form's fields.
MAX_SIGNUP_REQUEST_BYTES = (MAX_DOCUMENTS_TOTAL_MB + 4) * 1024 * 1024


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
    def plan_page(self, token, preview=None, **kwargs):
        plan = request.env["coworking.plan"]._get_by_public_token(
            token, preview_user=request.env.user
        )
        if not plan:
            return self._render_unavailable()
        is_public = plan.is_published and plan.company_id.coworking_signup_enabled
        preview = not is_public or (
            bool(preview) and plan._coworking_can_preview(request.env.user)
        )
        if not preview:  # a manager's preview is not a visit
            plan._coworking_count_visit()
        values = self._prepare_plan_page_values(plan, values={}, errors={})
        values["preview"] = preview
        return request.render("coworking_online_signup.plan_page", values)

    @http.route(
        "/coworking/plan/<string:token>/signup",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["POST"],
        max_content_length=MAX_SIGNUP_REQUEST_BYTES,
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
        if Signup._is_valid_form_token(plan, values["submission_token"]):
            done = request.env["coworking.signup.submission"]._coworking_find(
                values["submission_token"]
            )
            if done.plan_id == plan and (
                done.contract_id or done.state in ("identity", "discarded")
            ):
                return request.redirect(self._get_next_url(done))
        ip_address = request.httprequest.remote_addr
        if request.env["coworking.signup.throttle"]._hit(ip_address):
            return request.render(
                "coworking_online_signup.signup_throttled", {"plan": plan}, status=429
            )
        files = self._prepare_files(plan)
        current_user = None if request.env.user._is_public() else request.env.user
        errors = Signup._validate_signup(plan, values, files, current_user=current_user)
        if errors:
            return self._render_form(plan, values, errors, status=400)
        submission = Signup._create_signup(
            plan, values, files, ip_address=ip_address, current_user=current_user
        )
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
        submission = request.env["coworking.signup.submission"]._coworking_find(token)
        if not (submission.contract_id or submission.state == "identity"):
            return self._render_unavailable()
        return request.render(
            "coworking_online_signup.signup_done",
            self._prepare_done_values(submission),
        )

    @http.route(
        "/coworking/signup/<string:token>/confirm",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET", "POST"],
    )
    def signup_confirm(self, token, key=None, **kwargs):
        """A signup that waits for its proof of identity (B1): the existing client
        confirms it, logged in as its user or through the link sent to its e-mail
        on file. The GET only shows the page; the POST creates the records."""
        submission = request.env["coworking.signup.submission"]._coworking_find(token)
        if submission.state != "identity":
            if submission.contract_id:
                return request.redirect(f"/coworking/signup/{submission.token}")
            return self._render_unavailable()
        user = None if request.env.user._is_public() else request.env.user
        allowed = submission._coworking_can_confirm(user=user, key=key)
        if request.httprequest.method == "POST":
            if not allowed:
                raise Forbidden()
            submission._coworking_confirm_identity()
            return request.redirect(self._get_next_url(submission))
        return request.render(
            "coworking_online_signup.signup_confirm",
            self._prepare_confirm_values(submission, allowed, key),
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
            # a new one-time token per rendered form, signed by the server (B2, B7)
            "submission_token": Signup._make_form_token(plan),
            "action": f"/coworking/plan/{plan.access_token}/signup",
        }

    def _prepare_files(self, plan):
        """Each document read up to one byte over its limit: a larger file is
        refused by validation, never cut to size."""
        files = {}
        for document in plan.document_ids:
            upload = request.httprequest.files.get(f"document_{document.id}")
            if upload and upload.filename:
                files[document.id] = (
                    upload.filename,
                    upload.stream.read(document._get_max_bytes() + 1),
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

    def _prepare_confirm_values(self, submission, allowed, key):
        submission = submission.sudo()
        return {
            "submission": submission,
            "plan": submission.plan_id,
            "held": submission.held_values or {},
            "allowed": allowed,
            "key": key if allowed else "",
            "login_url": "/web/login?"
            + urlencode({"redirect": f"/coworking/signup/{submission.token}/confirm"}),
        }

    def _prepare_done_values(self, submission):
        submission = submission.sudo()
        if submission.state == "identity":
            return {
                "submission": submission,
                "plan": submission.plan_id,
                # only what the visitor typed, nothing of the existing client
                "held": submission.held_values or {},
                "identity_reason": submission.identity_reason,
                "confirm_url": f"/coworking/signup/{submission.token}/confirm",
                "reset_url": "/web/reset_password",
            }
        if submission.state == "pending":
            # the visitor is back before the finishing job: ask the job to run now
            # (a GET never creates the invoice or sends e-mails itself)
            request.env.ref(
                "coworking_online_signup.ir_cron_finish_signups"
            ).sudo()._trigger()
        invoice, order = submission.invoice_id, submission.sale_order_id
        transactions = order.transaction_ids | invoice.transaction_ids
        # a boleto or PIX already issued: wait for it rather than pay twice
        pending_tx = transactions.filtered(
            lambda tx: tx.state in ("pending", "authorized")
        )[:1]
        return {
            "submission": submission,
            "pending_tx": pending_tx,
            "charge_url": pending_tx._br_get_charge_url() if pending_tx else False,
            "plan": submission.plan_id,
            "contract": submission.contract_id,
            "invoice": invoice,
            "invoice_url": invoice.get_portal_url() if invoice else False,
            "pay_url": self._get_next_url(submission),
            "pay_amount": invoice.amount_residual
            if invoice
            else order.amount_total - order.amount_paid,
            "pay_currency": (invoice or order).currency_id,
            "paid": invoice.payment_state in ("paid", "in_payment"),
        }
