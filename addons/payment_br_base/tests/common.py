# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Test helpers shared by the Brazilian addons of this project."""

import os

import polib

from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader


class PtBrTranslationsMixin:
    """Every term of ``MODULE`` has a pt_BR translation that Odoo loads.

    Odoo's test loader runs only the test methods a test module defines itself, so
    each addon's test calls ``_check_pt_br_translations``."""

    MODULE = None

    def _check_pt_br_translations(self):
        po_path = os.path.join(get_module_path(self.MODULE), "i18n", "pt_BR.po")
        entries = polib.pofile(po_path)
        translated = {entry.msgid for entry in entries if entry.msgstr}
        terms = {
            entry[4]
            for entry in TranslationModuleReader(self.env.cr, modules=[self.MODULE])
            if entry[0] == self.MODULE
        }
        missing = sorted(terms - translated)
        self.assertFalse(missing, f"untranslated in i18n/pt_BR.po: {missing}")
        # Odoo loads an entry only through its "#:" occurrences: one added by hand
        # without them would pass the check above and never reach a user
        orphans = [entry.msgid for entry in entries if not entry.occurrences]
        self.assertFalse(orphans, f"entries without occurrences: {orphans}")
