# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.payment_br_base.tests.common import PtBrTranslationsMixin

from .common import CoworkingCommon

MODULE = "coworking_online_signup"


@tagged("post_install", "-at_install")
class TestTranslations(PtBrTranslationsMixin, CoworkingCommon):
    MODULE = MODULE

    def test_every_term_has_a_pt_br_translation(self):
        self._check_pt_br_translations()

    def test_messages_reach_the_user_in_portuguese(self):
        self.env["res.lang"]._activate_lang("pt_BR")
        self.env["ir.module.module"]._load_module_terms(
            [MODULE], ["pt_BR"], overwrite=True
        )
        unit = self.unit.with_context(lang="pt_BR")
        with self.assertRaisesRegex(
            ValidationError, "não é um endereço de e-mail válido"
        ):
            unit.notification_emails = "nope"
        label = (
            self.env["sale.subscription"]
            .with_context(lang="pt_BR")
            .fields_get(["coworking_signup_origin"])["coworking_signup_origin"]
        )
        self.assertEqual(label["string"], "Cadastrado por")
        # a page of the public signup, in Portuguese
        view = self.env.ref("coworking_online_signup.signup_identity_wait")
        self.assertIn("Mais um passo", view.with_context(lang="pt_BR").arch_db or "")
        self.assertIn(("online", "Contratação online"), label["selection"])
