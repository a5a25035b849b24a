"""``kfront.distribution``: Keras 3's distribution API over each engine's own runtime.

A ``DeviceMesh`` names the devices, ``TensorLayout`` says how one tensor is split over the
mesh axes, a ``LayoutMap`` gives layouts to variables by path, and a ``Distribution``
(``DataParallel`` or ``ModelParallel``) says how data and variables are placed while it is
set (``set_distribution`` or ``with dist.scope():``). What each engine supports is in the
README's support matrix.
"""
from kfront.distribution.api import (  # noqa: F401
    distribution, get_device_count, initialize, list_devices, set_distribution,
)
from kfront.distribution.distribute_tensor import distribute_tensor  # noqa: F401
from kfront.distribution.distributions import (  # noqa: F401
    DataParallel, Distribution, ModelParallel,
)
from kfront.distribution.layout_map import LayoutMap  # noqa: F401
from kfront.distribution.mesh import DeviceMesh, TensorLayout  # noqa: F401
