from . import test_inter_api
from . import test_payment_flows
from . import test_signup_journey
