# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from .common import PtBrTranslationsMixin


@tagged("post_install", "-at_install")
class TestTranslations(PtBrTranslationsMixin, TransactionCase):
    MODULE = "payment_br_base"

    def test_every_term_has_a_pt_br_translation(self):
        self._check_pt_br_translations()
