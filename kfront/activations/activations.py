"""Activation functions by name, each a thin use of ``kfront.ops``."""
from kfront import ops


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    if threshold == 0.0:
        # The common forms in one engine kernel each (MobileNet's ReLU(6.0) is most of its
        # elementwise time); the general form below takes three passes or more.
        if negative_slope == 0.0:
            if max_value is None:
                return ops.relu(x)
            if max_value == 6:
                return ops.relu6(x)
        elif max_value is None:
            return ops.leaky_relu(x, negative_slope=negative_slope)
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


def celu(x, alpha=1.0):
    """``max(x, 0) + alpha * expm1(min(x, 0) / alpha)``."""
    return ops.celu(x, alpha=alpha)


def glu(x, axis=-1):
    """``a * sigmoid(b)`` for the halves ``a, b`` of ``x`` along ``axis``."""
    return ops.glu(x, axis=axis)


def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, else 0."""
    return ops.hard_shrink(x, threshold=threshold)


def soft_shrink(x, threshold=0.5):
    """``x`` moved ``threshold`` towards 0, and 0 within ``threshold`` of it."""
    return ops.soft_shrink(x, threshold=threshold)


def sparsemax(x, axis=-1):
    """Projection onto the probability simplex along ``axis`` (sparse probabilities)."""
    return ops.sparsemax(x, axis=axis)


def squareplus(x, b=4):
    """``(x + sqrt(x**2 + b)) / 2``."""
    return ops.squareplus(x, b=b)


def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, else ``default_value``."""
    return ops.threshold(x, threshold, default_value)


hard_tanh = ops.hard_tanh
sparse_plus = ops.sparse_plus
sparse_sigmoid = ops.sparse_sigmoid
tanh_shrink = ops.tanh_shrink

ALL = {
    "relu": relu, "linear": linear, "softmax": softmax, "log_softmax": log_softmax,
    "elu": elu, "leaky_relu": leaky_relu, "gelu": gelu, "mish": mish, "sigmoid": sigmoid,
    "tanh": tanh, "selu": selu, "softplus": softplus, "softsign": softsign, "silu": silu,
    "swish": swish, "exponential": exponential, "hard_sigmoid": hard_sigmoid,
    "hard_silu": hard_silu, "hard_swish": hard_swish, "relu6": relu6,
    "log_sigmoid": log_sigmoid, "celu": celu, "glu": glu, "hard_shrink": hard_shrink,
    "hard_tanh": hard_tanh, "soft_shrink": soft_shrink, "sparse_plus": sparse_plus,
    "sparse_sigmoid": sparse_sigmoid, "sparsemax": sparsemax, "squareplus": squareplus,
    "tanh_shrink": tanh_shrink, "threshold": threshold,
}
