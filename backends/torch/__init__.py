"""The torch adapter: implements ``kfront.backend.contract`` on torch."""
name = "torch"

from kfront.backends.torch.core import *  # noqa: F401,F403,E402
from kfront.backends.torch.numpy import *  # noqa: F401,F403,E402
from kfront.backends.torch.creation import *  # noqa: F401,F403,E402
from kfront.backends.torch.nn import *  # noqa: F401,F403,E402
from kfront.backends.torch.math import *  # noqa: F401,F403,E402
from kfront.backends.torch.conv import *  # noqa: F401,F403,E402
from kfront.backends.torch.normalization import *  # noqa: F401,F403,E402
from kfront.backends.torch.rnn import *  # noqa: F401,F403,E402
from kfront.backends.torch.attention import *  # noqa: F401,F403,E402
from kfront.backends.torch.random import *  # noqa: F401,F403,E402
from kfront.backends.torch.variables import *  # noqa: F401,F403,E402
from kfront.backends.torch.training import *  # noqa: F401,F403,E402
from kfront.backends.torch.numpy_math import *  # noqa: F401,F403,E402
from kfront.backends.torch.numpy_array import *  # noqa: F401,F403,E402
from kfront.backends.torch.linalg import *  # noqa: F401,F403,E402
from kfront.backends.torch.signal import *  # noqa: F401,F403,E402
from kfront.backends.torch.control_flow import *  # noqa: F401,F403,E402
from kfront.backends.torch.nn_extra import *  # noqa: F401,F403,E402
from kfront.backends.torch.image import *  # noqa: F401,F403,E402
from kfront.backends.torch.random_extra import *  # noqa: F401,F403,E402
from kfront.backends.torch.optimizers import optimizer_kernels  # noqa: F401,E402
from kfront.backends.torch import distribution as distribution_lib  # noqa: F401,E402
from kfront.backends.torch.layer import LayerModule as layer_base  # noqa: F401,E402
from kfront.backends.torch.module_wrapper import *  # noqa: F401,F403,E402
