from . import coworking_contract_xlsx
from . import coworking_plan_funnel_report
