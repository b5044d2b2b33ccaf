# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import controllers
from . import models

from odoo.addons.payment import setup_provider, reset_payment_provider


def post_init_hook(env):
    setup_provider(env, "efi_br")


def uninstall_hook(env):
    reset_payment_provider(env, "efi_br")
