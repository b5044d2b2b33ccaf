# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import (
    CustomerPortal,
    pager as portal_pager,
)

CONTRACTS_PER_PAGE = 20


class CoworkingPortal(CustomerPortal):
    """The member's client area: their coworking contracts, quota balances per period
    and the consumption ledger (B4). Access is checked with the member's own rights
    (record rules on contracts, quotas and consumption); rendering is done as sudo."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "coworking_contract_count" in counters:
            values["coworking_contract_count"] = self._get_coworking_contract_count()
        return values

    def _get_coworking_contract_count(self):
        Contract = request.env["sale.subscription"]
        if not Contract.has_access("read"):
            return 0
        return Contract.search_count(self._prepare_coworking_contracts_domain())

    def _prepare_coworking_contracts_domain(self):
        partner = request.env.user.partner_id
        return [
            ("coworking_plan_id", "!=", False),
            ("partner_id", "child_of", [partner.commercial_partner_id.id]),
        ]

    def _coworking_contract_sudo(self, contract_id):
        """The member's coworking contract ``contract_id`` (sudo), checked with the
        member's own rights, or None: another's contract, a missing one and a
        contract without a plan all look the same."""
        try:
            contract_sudo = self._document_check_access(
                "sale.subscription", contract_id
            )
        except (AccessError, MissingError):
            return None
        return contract_sudo if contract_sudo.coworking_plan_id else None

    @http.route(
        ["/my/coworking", "/my/coworking/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_coworking_contracts(self, page=1, **kwargs):
        Contract = request.env["sale.subscription"]
        domain = self._prepare_coworking_contracts_domain()
        count = self._get_coworking_contract_count()
        pager = portal_pager(
            url="/my/coworking",
            total=count,
            page=page,
            step=CONTRACTS_PER_PAGE,
        )
        contracts = (
            Contract.search(
                domain,
                order="date_start desc, id desc",
                limit=CONTRACTS_PER_PAGE,
                offset=pager["offset"],
            )
            if count
            else Contract
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "contracts": contracts.sudo(),
                "pager": pager,
                "page_name": "coworking_contracts",
                "default_url": "/my/coworking",
            }
        )
        return request.render("coworking_online_signup.portal_my_coworking", values)

    @http.route(
        "/my/coworking/<int:contract_id>", type="http", auth="user", website=True
    )
    def portal_my_coworking_contract(self, contract_id, **kwargs):
        contract_sudo = self._coworking_contract_sudo(contract_id)
        if not contract_sudo:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(self._prepare_coworking_contract_values(contract_sudo))
        return request.render(
            "coworking_online_signup.portal_my_coworking_contract", values
        )

    def _prepare_coworking_contract_values(self, contract_sudo):
        """Quotas grouped by period, the current period first, and the ledger."""
        quotas = contract_sudo.coworking_quota_ids
        periods = []
        for start in sorted(set(quotas.mapped("period_start")), reverse=True):
            period_quotas = quotas.filtered(lambda q, s=start: q.period_start == s)
            periods.append(
                {
                    "start": start,
                    "end": period_quotas[0].period_end,
                    "quotas": period_quotas.sorted(lambda q: (q.sequence, q.id)),
                }
            )
        return {
            "contract": contract_sudo,
            "periods": periods,
            "consumptions": quotas.consumption_ids.sorted(
                lambda c: (c.date, c.id), reverse=True
            ),
            "invoices": contract_sudo.invoice_ids.filtered(
                lambda m: m.state == "posted"
            ).sorted("invoice_date", reverse=True),
            "page_name": "coworking_contract",
            # the signup's open charge (boleto, PIX), to reopen it until paid
            "charge_url": contract_sudo.coworking_submission_ids[
                :1
            ]._coworking_get_charge_url()
            if contract_sudo.coworking_submission_ids
            else False,
        }
