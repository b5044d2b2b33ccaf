# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _get_coworking_signup_codes(self):
        """Provider codes usable for online signup. Override to add one."""
        return list(self._get_br_provider_codes())

    def _coworking_requires_address(self):
        """Whether this provider needs the payer's address (F16): each provider
        says so through `payment_br_base`'s hook."""
        self.ensure_one()
        return self._br_requires_payer_address()

    @api.model
    def _get_compatible_providers(self, *args, coworking_signup=None, **kwargs):
        """Override of `payment`: a signup's payment step offers the chosen provider."""
        providers = super()._get_compatible_providers(*args, **kwargs)
        if coworking_signup and isinstance(coworking_signup, str):
            submission = (
                self.env["coworking.signup.submission"]
                .sudo()
                .search([("token", "=", coworking_signup)], limit=1)
            )
            if submission.provider_id in providers:
                providers = submission.provider_id
        return providers

    @api.model
    def _get_coworking_signup_providers(self, company):
        """Enabled (or test-mode) signup providers of ``company``."""
        return self.sudo().search(
            [
                ("code", "in", self._get_coworking_signup_codes()),
                ("state", "in", ("enabled", "test")),
                ("company_id", "=", company.id),
            ]
        )

    @api.onchange("state")
    def _onchange_state_coworking_warning(self):
        """Warn before a provider is disabled that published plans would be left
        without a way to pay: their forms could not be sent any more."""
        if self.state != "disabled" or self._origin.state not in ("enabled", "test"):
            return None
        if self.code not in self._get_coworking_signup_codes():
            return None
        plans = self._coworking_plans_left_without_provider()
        if not plans:
            return None
        return {
            "warning": {
                "title": _("Published plans lose their payment method"),
                "message": _(
                    "Without %(provider)s, these published plans have no payment "
                    "method left and their signup forms stop working: %(plans)s. "
                    "Enable another provider or unpublish them.",
                    provider=self.name,
                    plans=", ".join(plans.mapped("name")),
                ),
            }
        }

    def _coworking_plans_left_without_provider(self):
        """Published plans of this provider's company that offer no other enabled
        provider of ours."""
        self.ensure_one()
        company = self.company_id or self.env.company
        others = self._get_coworking_signup_providers(company) - self._origin
        plans = (
            self.env["coworking.plan"]
            .sudo()
            .search([("company_id", "=", company.id), ("is_published", "=", True)])
        )
        return plans.filtered(
            lambda plan: not ((plan.payment_ids.provider_id or others) & others)
        )
