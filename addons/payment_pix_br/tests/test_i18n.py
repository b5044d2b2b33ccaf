# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "payment_pix_br"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_has_a_pt_br_translation(self):
        po_path = os.path.join(os.path.dirname(__file__), "..", "i18n", "pt_BR.po")
        translated = {entry.msgid for entry in polib.pofile(po_path) if entry.msgstr}
        terms = {
            entry[4]
            for entry in TranslationModuleReader(self.env.cr, modules=[MODULE])
            if entry[0] == MODULE
        }
        missing = sorted(terms - translated)
        self.assertFalse(missing, f"untranslated in i18n/pt_BR.po: {missing}")
