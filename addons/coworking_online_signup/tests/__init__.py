from . import test_due_date
from . import test_contract
from . import test_plan
from . import test_unit
from . import test_settings
from . import test_quota
from . import test_access
