"""Running a layer's ``call`` under its dtype policy: floating inputs cast to the compute
dtype, float variables read in it (``autocast``)."""
from kfront.backend.loader import adapter
from kfront.backend.variable import autocast_state
from kfront.mixed_precision.dtype_policy import LOW_PRECISION
from kfront.utils import tree

_B = adapter()
_FLOATS = frozenset({"float16", "bfloat16", "float32", "float64"})


def _cast_input(x, compute):
    if not _B.is_tensor(x):
        return x
    dtype = _B.dtype(x)
    # float64 inputs to a float32 layer are left alone; a 16-bit dtype on either side casts.
    if dtype != compute and dtype in _FLOATS and (dtype in LOW_PRECISION or
                                                  compute in LOW_PRECISION):
        return _B.cast(x, compute)
    return x


def autocast_call(layer, inputs, args, kwargs):
    """``layer._eager_call`` with inputs in the compute dtype and variables autocast."""
    policy = layer.dtype_policy
    compute = policy.compute_dtype
    if compute in _FLOATS:
        if len(args) == 1 and not kwargs and not tree.is_nested(inputs):
            args = (_cast_input(inputs, compute),)
        else:
            args, kwargs = tree.map_structure(lambda x: _cast_input(x, compute), (args, kwargs))
        inputs = args[0]
    wanted = compute if (compute != policy.variable_dtype and compute in _FLOATS and
                         getattr(layer, "autocast", True)) else None
    previous = autocast_state.dtype
    if wanted == previous:
        return layer._eager_call(inputs, args, kwargs)
    autocast_state.dtype = wanted
    try:
        return layer._eager_call(inputs, args, kwargs)
    finally:
        autocast_state.dtype = previous
