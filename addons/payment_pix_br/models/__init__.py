# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import account_move
from . import payment_provider
from . import payment_transaction
