from . import test_fake_cielo_sdk
from . import test_payment_flows
from . import test_invoice_charging
from . import test_no_card_data
from . import test_i18n
