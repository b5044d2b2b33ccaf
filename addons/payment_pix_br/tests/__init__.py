# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_brcode
from . import test_pix_provider
from . import test_pix_flows
from . import test_pix_dynamic
from . import test_cob
from . import test_i18n
from . import test_inter_credentials
from . import test_pix_cancel
from . import test_pix_lost_answer
