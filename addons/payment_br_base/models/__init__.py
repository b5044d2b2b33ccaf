from . import payment_provider
from . import payment_transaction
from . import payment_token
