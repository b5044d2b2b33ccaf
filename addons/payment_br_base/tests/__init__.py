from . import test_utils
from . import test_bank_client
from . import test_i18n
