from . import test_contract_document
from . import test_i18n
from . import test_sign_flow
from . import test_sign_requests
