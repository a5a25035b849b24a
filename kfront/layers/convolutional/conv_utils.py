"""Argument checks and output-size arithmetic shared by the conv and pooling layers."""
from kfront import config


def standardize_tuple(value, n, name, layer, allow_zero=False):
    """``value`` (an int or n ints) as a tuple of n ints; a clear ValueError otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        out = (value,) * n
    else:
        try:
            out = tuple(value)
        except TypeError:
            out = None
        if out is None or len(out) != n or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in out):
            raise ValueError(f"{layer}: the `{name}` argument must be an int or a tuple of {n} "
                             f"ints. Received: {name}={value!r}")
    low = 0 if allow_zero else 1
    if any(v < low for v in out):
        raise ValueError(f"{layer}: the `{name}` argument must contain only "
                         f"{'non-negative' if allow_zero else 'positive'} values. "
                         f"Received: {name}={value!r}")
    return out


def standardize_padding(padding, layer, allow_causal=False):
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    p = padding.lower() if isinstance(padding, str) else padding
    if p not in allowed:
        raise ValueError(f"{layer}: the `padding` argument must be one of {allowed}. "
                         f"Received: padding={padding!r}")
    return p


def standardize_data_format(data_format, layer):
    if data_format is None:
        return config.image_data_format()
    fmt = data_format.lower() if isinstance(data_format, str) else data_format
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(f"{layer}: the `data_format` argument must be one of "
                         f"('channels_last', 'channels_first'). "
                         f"Received: data_format={data_format!r}")
    return fmt


def split_shape(input_shape, data_format):
    """(batch, spatial dims, channels) of an input shape."""
    if data_format == "channels_last":
        return input_shape[0], tuple(input_shape[1:-1]), input_shape[-1]
    return input_shape[0], tuple(input_shape[2:]), input_shape[1]


def join_shape(batch, spatial, channels, data_format):
    if data_format == "channels_last":
        return (batch,) + tuple(spatial) + (channels,)
    return (batch, channels) + tuple(spatial)


def conv_output_length(size, kernel, stride, padding, dilation=1):
    """Output length of a convolution or pooling window along one dim (None stays None)."""
    if size is None:
        return None
    if padding == "valid":
        return (size - (kernel - 1) * dilation - 1) // stride + 1
    return (size - 1) // stride + 1  # "same" and "causal"


def conv_output_spatial(layer, spatial, kernel, strides, padding, dilation, input_shape):
    """Output spatial dims; a ValueError naming ``layer`` when one would be empty."""
    out = tuple(conv_output_length(s, k, st, padding, d)
                for s, k, st, d in zip(spatial, kernel, strides, dilation))
    if any(o is not None and o <= 0 for o in out):
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}): the window is larger than the '
            f"(padded) input, so the computed output size would be {out}. Received input "
            f"shape={tuple(input_shape)}, kernel/pool size={tuple(kernel)}, "
            f"strides={tuple(strides)}, dilation_rate={tuple(dilation)}, padding={padding!r}.")
    return out


def transpose_output_length(size, kernel, stride, padding, output_padding=None, dilation=1):
    """Output length of a transposed convolution along one dim, as Keras computes it."""
    if size is None:
        return None
    k_eff = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(k_eff, stride) - k_eff if output_padding is None else output_padding
        return (size - 1) * stride + k_eff + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + k_eff % 2 + output_padding


def serialize_regularizer(obj):
    """A regularizer as a config dict that ``regularizers.get`` reads back (None stays None)."""
    if obj is None or not hasattr(obj, "get_config"):
        return obj
    return {"class_name": type(obj).__name__, "config": obj.get_config()}
