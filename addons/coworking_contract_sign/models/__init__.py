from . import coworking_plan
from . import res_company
from . import res_config_settings
from . import sale_subscription
from . import sign_oca_request
from . import sign_oca_request_signer
