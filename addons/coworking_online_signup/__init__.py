from . import controllers
from . import models
from . import validation
from . import report
from . import wizard
