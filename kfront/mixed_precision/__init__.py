"""``kfront.mixed_precision``: dtype policies (variables in float32, compute in
float16/bfloat16) and dynamic loss scaling."""
from kfront.mixed_precision.dtype_policy import DTypePolicy, Policy  # noqa: F401
from kfront.mixed_precision.policy_state import (  # noqa: F401
    get, global_policy, set_global_policy,
)

# Keras 3 spellings.
dtype_policy = global_policy
set_dtype_policy = set_global_policy


def __getattr__(name):
    # The optimizer wrapper lives with the optimizers (it is one), which import layers
    # and this package: resolved on first use.
    if name == "LossScaleOptimizer":
        from kfront.optimizers.loss_scale_optimizer import LossScaleOptimizer
        return LossScaleOptimizer
    raise AttributeError(f"module 'kfront.mixed_precision' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + ["LossScaleOptimizer"])
