"""The jax adapter: implements ``kfront.backend.contract`` on jax."""
name = "jax"

from kfront.backends.jax.core import *  # noqa: F401,F403,E402
from kfront.backends.jax.numpy import *  # noqa: F401,F403,E402
from kfront.backends.jax.nn import *  # noqa: F401,F403,E402
from kfront.backends.jax.math import *  # noqa: F401,F403,E402
from kfront.backends.jax.conv import *  # noqa: F401,F403,E402
from kfront.backends.jax.normalization import *  # noqa: F401,F403,E402
from kfront.backends.jax.rnn import *  # noqa: F401,F403,E402
from kfront.backends.jax.attention import *  # noqa: F401,F403,E402
from kfront.backends.jax.random import *  # noqa: F401,F403,E402
from kfront.backends.jax.variables import *  # noqa: F401,F403,E402
from kfront.backends.jax.training import *  # noqa: F401,F403,E402
from kfront.backends.jax.numpy_math import *  # noqa: F401,F403,E402
from kfront.backends.jax.numpy_array import *  # noqa: F401,F403,E402
from kfront.backends.jax.linalg import *  # noqa: F401,F403,E402
from kfront.backends.jax.signal import *  # noqa: F401,F403,E402
from kfront.backends.jax.control_flow import *  # noqa: F401,F403,E402
from kfront.backends.jax.nn_extra import *  # noqa: F401,F403,E402
from kfront.backends.jax.image import *  # noqa: F401,F403,E402
from kfront.backends.jax.random_extra import *  # noqa: F401,F403,E402
from kfront.backends.jax import distribution as distribution_lib  # noqa: F401,E402
