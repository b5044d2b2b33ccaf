# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import unittest
from datetime import timedelta
from unittest.mock import patch

from odoo.tests import new_test_user

# Smallest files whose content (not their name) says what they are.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
VALID_CPF = "529.982.247-25"
OTHER_CPF = "111.444.777-35"
THIRD_CPF = "935.411.347-80"
VALID_CNPJ = "11.222.333/0001-81"


# What a person types in the public form (the journeys' and the form tests' visitor).
PERSON_FORM = {
    "client_type": "individual",
    "name": "Maria Silva",
    "email": "maria.silva@example.com",
    "phone": "(11) 91234-5678",
    "cpf": VALID_CPF,
    "zip": "01310-100",
    "street": "Avenida Paulista",
    "street_number": "1000",
    "street2": "sala 12",
    "district": "Bela Vista",
    "city": "São Paulo",
    "state_code": "SP",
    "password": "s3cret-pass",
    "password_confirm": "s3cret-pass",
    "terms_accepted": "1",
}


class SignupJourneyMixin:
    """What the journeys through each payment addon share (test_journey_*.py): a
    published "Fixed desk" plan of a Brazilian coworking, and its public form
    filled in and posted as a visitor does. Mixed into the provider addon's own
    test case, which brings the provider and its fake bank."""

    @classmethod
    def _setup_journey_plan(cls, **values):
        env = cls.env
        env.user.groups_id += env.ref("coworking_online_signup.group_coworking_manager")
        env.company.partner_id.tz = "America/Sao_Paulo"
        unit = env["coworking.unit"].create(
            {"name": "Paulista", "notification_emails": "desk@example.com"}
        )
        cls.plan = env["coworking.plan"].create(
            {
                "name": "Fixed desk",
                "unit_id": unit.id,
                "recurring_price": 800.0,
                "setup_fee": 150.0,
                "ask_password": True,
                "benefits_start": "payment",
                "is_published": True,
                "terms_version": "2026-01",
                "quota_ids": [(0, 0, {"name": "Meeting room hours", "quantity": 10})],
                **values,
            }
        )
        (cls.plan.product_id | cls.plan._get_setup_fee_product()).taxes_id = False
        env.company.coworking_signup_enabled = True

    def _journey_signup(self, provider, **overrides):
        """Open the plan's link, fill in its form choosing ``provider`` and post it;
        return where the visitor is sent next."""
        url = f"/coworking/plan/{self.plan.access_token}"
        page = self.url_open(url).text
        self.assertIn(f'value="{provider.id}"', page)
        hidden = dict(
            re.findall(r'name="(csrf_token|submission_token)" value="([^"]+)"', page)
        )
        form = {
            **PERSON_FORM,
            "cpf": OTHER_CPF,  # the provider tests' own partners use VALID_CPF
            **hidden,
            "provider_id": str(provider.id),
            **overrides,
        }
        response = self.url_open(url + "/signup", data=form, allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text[:500])
        return response.headers["Location"]

    def _journey_contract(self):
        return self.env["sale.subscription"].search(
            [("coworking_plan_id", "=", self.plan.id)]
        )


def days_later(env, days):
    """Move the company's today ``days`` ahead (the billing run and the
    abandonment read it), as a context manager."""
    today = env.company._coworking_today()
    return patch.object(
        type(env["res.company"]),
        "_coworking_today",
        lambda company: today + timedelta(days=days),
    )


def module_installed(name):
    """Whether addon ``name`` is installed in the test database: the journeys
    through a provider addon run only beside it (checked before any setup)."""
    from odoo.modules.registry import Registry
    from odoo.tests.common import get_db_name

    with Registry(get_db_name()).cursor() as cr:
        cr.execute(
            "SELECT 1 FROM ir_module_module WHERE name = %s AND state = 'installed'",
            [name],
        )
        return bool(cr.fetchone())


def setup_static_pix(env):
    """The demo's payment: static PIX with a demo key, in a company that invoices
    in reais. Skips the test where `payment_pix_br` is not installed."""
    pix = env["payment.provider"].search(
        [("code", "=", "pix_br"), ("company_id", "=", env.company.id)], limit=1
    )
    if not pix:
        raise unittest.SkipTest("payment_pix_br is not installed")
    brl = env.ref("base.BRL")
    brl.action_unarchive()
    # the demo company invoices in reais; journal items may already exist, so
    # the currency is set as Odoo's own tests do (base.tests.common)
    env.transaction.cache.set(
        env.company, type(env.company).currency_id, brl.id, dirty=True
    )
    env.company.partner_id.tz = "America/Sao_Paulo"
    pix.write(
        {
            "state": "test",
            "is_published": True,
            "pix_br_key": "contato@coworking.example.com",
            "pix_br_receiver_name": "Coworking Demo",
            "pix_br_receiver_city": "Sao Paulo",
            "journal_id": env["account.journal"]
            .search(
                [("type", "=", "bank"), ("company_id", "=", env.company.id)],
                limit=1,
            )
            .id,
        }
    )
    env.ref("payment.payment_method_pix").active = True
    return pix


class SignupMixin:
    """Data for signup tests: a published plan, an enabled provider, a live switch.

    The provider modules (Banco Inter, PIX, ...) are separate addons; here a core
    provider stands in for one of ours, and `boleto_address` makes it require the
    payer's address the way Banco Inter does.
    """

    @classmethod
    def _setup_signup_data(cls):
        env = cls.env
        cls.company = env.company
        cls.company.partner_id.tz = "America/Sao_Paulo"
        Provider = type(env["payment.provider"])
        cls.codes_patcher = patch.object(
            Provider, "_get_coworking_signup_codes", lambda self: ["none"]
        )
        cls.codes_patcher.start()
        cls.addClassCleanup(cls.codes_patcher.stop)
        card = env.ref("payment.payment_method_card")
        cls.provider = env["payment.provider"].create(
            {
                "name": "Banco Teste",
                "state": "test",
                "is_published": True,
                "company_id": cls.company.id,
                "payment_method_ids": [(6, 0, card.ids)],
            }
        )
        card.active = True
        cls.unit = env["coworking.unit"].create(
            {
                "name": "Paulista",
                "notification_emails": "desk@example.com, boss@example.com",
            }
        )
        cls.plan = env["coworking.plan"].create(
            {
                "name": "Fixed desk",
                "unit_id": cls.unit.id,
                "recurring_price": 800.0,
                "setup_fee": 150.0,
                "ask_password": True,
                "benefits_start": "signup",
                "terms": "<p>The rules of the house.</p>",
                "terms_version": "2026-01",
                "is_published": True,
                "quota_ids": [
                    (0, 0, {"name": "Meeting room hours", "quantity": 10}),
                    (0, 0, {"name": "Prints", "quantity": 100}),
                ],
                "document_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "ID document",
                            "allow_png": True,
                            "allow_jpeg": False,
                            "allow_pdf": True,
                            "max_size_mb": 0.01,
                        },
                    )
                ],
            }
        )
        cls.document = cls.plan.document_ids
        cls.company.coworking_signup_enabled = True

    def boleto_address(self):
        """Make the stand-in provider require the payer's address (like Inter)."""
        return patch.object(
            type(self.env["payment.provider"]),
            "_coworking_requires_address",
            lambda provider: True,
        )

    def form(self, **overrides):
        values = {
            **PERSON_FORM,
            "provider_id": str(self.provider.id),
            "submission_token": self._form_token(
                overrides.pop("plan", self.plan), overrides.pop("token", "one")
            ),
        }
        values.update(overrides)
        return values

    def _form_token(self, plan, name):
        """The same signed one-time token for the same (plan, name) in a test,
        as a form rendered once and posted twice."""
        tokens = self.__dict__.setdefault("_form_tokens", {})
        if (plan.id, name) not in tokens:
            tokens[plan.id, name] = self.env["coworking.signup"]._make_form_token(
                plan, nonce="one-time-token-" + name
            )
        return tokens[plan.id, name]

    def _visits(self):
        """Visits counted for the plan's link."""
        return self.env["coworking.plan.visit"].search_count(
            [("plan_id", "=", self.plan.id)]
        )

    def files(self, content=PDF_BYTES, name="id.pdf"):
        return {self.document.id: (name, content)}

    @classmethod
    def _new_user(cls, login, email):
        return new_test_user(
            cls.env, login=login, email=email, groups="base.group_portal"
        )
