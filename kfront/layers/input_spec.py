"""``InputSpec``: what a layer accepts, checked before the engine sees a bad shape."""


class InputSpec:
    """Rank and axis-size constraints on one input of a layer (as in Keras).

    Args:
        dtype, shape, ndim, max_ndim, min_ndim: as their names say.
        axes: {axis: size} that must match, e.g. ``{-1: 64}`` for a built Dense.
        allow_last_axis_squeeze: accept a rank one lower when the last dim would be 1.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None):
        self.dtype = dtype
        self.shape = shape
        self.ndim = len(shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = dict(axes or {})
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name


def assert_input_compatibility(specs, inputs, layer_name, shape_of):
    """Raises a ValueError that names the layer, the expectation and the received shape."""
    if specs is None:
        return
    if not isinstance(specs, (list, tuple)):
        specs = [specs]
    flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    if len(flat) != len(specs):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
            f"{len(flat)} input tensors."
        )
    for i, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None:
            continue
        shape = tuple(shape_of(x))
        rank = len(shape)
        if spec.ndim is not None and rank != spec.ndim:
            _refuse(i, layer_name, f"expected ndim={spec.ndim}, found ndim={rank}. "
                    f"Full shape received: {shape}")
        if spec.max_ndim is not None and rank > spec.max_ndim:
            _refuse(i, layer_name, f"expected max_ndim={spec.max_ndim}, found ndim={rank}. "
                    f"Full shape received: {shape}")
        if spec.min_ndim is not None and rank < spec.min_ndim:
            _refuse(i, layer_name, f"expected min_ndim={spec.min_ndim}, found ndim={rank}. "
                    f"Full shape received: {shape}")
        if rank:
            for axis, size in spec.axes.items():
                if size is None:
                    continue
                if not -rank <= axis < rank:
                    _refuse(i, layer_name, f"expected axis {axis} of input shape to exist, "
                            f"but received input with shape {shape}")
                got = shape[axis]
                if got is not None and got != size:
                    _refuse(i, layer_name, f"expected axis {axis} of input shape to have "
                            f"value {size}, but received input with shape {shape}")
        if spec.shape is not None:
            for want, got in zip(spec.shape, shape):
                if want is not None and got is not None and want != got:
                    _refuse(i, layer_name,
                            f"expected shape={spec.shape}, found shape={shape}")


def _refuse(i, layer_name, message):
    # The message is built only on failure: this check runs on every eager layer call.
    raise ValueError(f'Input {i} of layer "{layer_name}" is incompatible with the layer: '
                     f"{message}")
