from . import main
from . import payment
from . import portal
