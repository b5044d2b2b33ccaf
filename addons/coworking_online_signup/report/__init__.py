from . import coworking_contract_xlsx
