# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os

import polib

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.translate import TranslationModuleReader

from .common import CoworkingCommon

MODULE = "coworking_online_signup"


@tagged("post_install", "-at_install")
class TestTranslations(CoworkingCommon):
    def test_every_term_has_a_pt_br_translation(self):
        po_path = os.path.join(os.path.dirname(__file__), "..", "i18n", "pt_BR.po")
        translated = {e.msgid for e in polib.pofile(po_path) if e.msgstr}
        terms = {
            entry[4]
            for entry in TranslationModuleReader(self.env.cr, modules=[MODULE])
            if entry[0] == MODULE
        }
        missing = sorted(terms - translated)
        self.assertFalse(missing, f"untranslated in i18n/pt_BR.po: {missing}")
        # Odoo loads an entry only through its "#:" occurrences: one added by hand
        # without them would pass the check above and never reach a user
        orphans = [e.msgid for e in polib.pofile(po_path) if not e.occurrences]
        self.assertFalse(orphans, f"entries without occurrences: {orphans}")

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
            .fields_get(["signup_origin"])["signup_origin"]
        )
        self.assertEqual(label["string"], "Cadastrado por")
        # a page of the public signup, in Portuguese
        view = self.env.ref("coworking_online_signup.signup_identity_wait")
        self.assertIn("Mais um passo", view.with_context(lang="pt_BR").arch_db or "")
        self.assertIn(("online", "Contratação online"), label["selection"])
