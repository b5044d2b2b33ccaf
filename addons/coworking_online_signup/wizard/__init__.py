from . import close_reason_wizard
