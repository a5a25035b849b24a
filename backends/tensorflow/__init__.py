"""The tensorflow adapter: implements ``kfront.backend.contract`` on tensorflow."""
name = "tensorflow"

from kfront.backends.tensorflow.core import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.numpy import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.creation import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.nn import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.math import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.conv import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.normalization import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.rnn import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.attention import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.random import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.variables import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.training import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.numpy_math import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.numpy_array import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.linalg import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.signal import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.control_flow import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.nn_extra import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.image import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow.random_extra import *  # noqa: F401,F403,E402
from kfront.backends.tensorflow import distribution as distribution_lib  # noqa: F401,E402
from kfront.backends.tensorflow.optimizers import optimizer_kernels  # noqa: F401,E402
