from . import models
from . import validation
