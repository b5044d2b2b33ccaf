from . import test_inter_api
from . import test_payment_flows
from . import test_bank_rules
from . import test_fake_inter
from . import test_i18n
