from . import test_utils
