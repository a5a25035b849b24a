"""Activation functions by name, each a thin use of ``kfront.ops``."""
from kfront import ops


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    x = ops.convert_to_tensor(x)
    negative = ops.where(x < threshold, negative_slope * (x - threshold), 0.0) \
        if negative_slope else 0.0
    out = ops.where(x >= threshold, x, 0.0)
    if max_value is not None:
        out = ops.minimum(out, max_value)
    return out + negative


def linear(x):
    return x


def softmax(x, axis=-1):
    # Mixed precision: probabilities from 16-bit logits lose the small classes and overflow
    # in exp; the activation computes, and returns, float32 (what a loss wants next).
    if ops.dtype(x) in ("float16", "bfloat16"):
        x = ops.cast(x, "float32")
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return ops.log_softmax(x, axis=axis)


def elu(x, alpha=1.0):
    return ops.elu(x, alpha=alpha)


def leaky_relu(x, negative_slope=0.2):
    return ops.leaky_relu(x, negative_slope=negative_slope)


def gelu(x, approximate=False):
    return ops.gelu(x, approximate=approximate)


def mish(x):
    x = ops.convert_to_tensor(x)
    return x * ops.tanh(ops.softplus(x))


sigmoid = ops.sigmoid
tanh = ops.tanh
selu = ops.selu
softplus = ops.softplus
softsign = ops.softsign
silu = ops.silu
swish = ops.silu
exponential = ops.exponential
hard_sigmoid = ops.hard_sigmoid
hard_silu = ops.hard_silu
hard_swish = ops.hard_silu
relu6 = ops.relu6
log_sigmoid = ops.log_sigmoid

ALL = {
    "relu": relu, "linear": linear, "softmax": softmax, "log_softmax": log_softmax,
    "elu": elu, "leaky_relu": leaky_relu, "gelu": gelu, "mish": mish, "sigmoid": sigmoid,
    "tanh": tanh, "selu": selu, "softplus": softplus, "softsign": softsign, "silu": silu,
    "swish": swish, "exponential": exponential, "hard_sigmoid": hard_sigmoid,
    "hard_silu": hard_silu, "hard_swish": hard_swish, "relu6": relu6,
    "log_sigmoid": log_sigmoid,
}
