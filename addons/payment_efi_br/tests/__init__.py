from . import test_efi_flows
from . import test_efi_lifecycle
from . import test_fake_efi_sdk
from . import test_i18n
from . import test_pix_through_efi
