"""The tensorflow adapter: implements ``kfront.backend.contract`` on tensorflow."""
name = "tensorflow"

from kfront.backends.tensorflow.core import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.numpy import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.nn import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.math import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.random import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.variables import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.training import *  # noqa: F401,F403,E402
