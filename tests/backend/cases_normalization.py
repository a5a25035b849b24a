"""Conformance cases for ``contract.NORMALIZATION_OPS`` (keras.ops.moments and
keras.ops.batch_normalization)."""
import numpy as np

from cases_core import case, f32

f64 = np.float64
_rng = np.random.default_rng(11)
XB = _rng.normal(size=(4, 3, 5)).astype(f32)
MEAN = _rng.normal(size=(3,)).astype(f32)
VAR = _rng.uniform(0.5, 2.0, size=(3,)).astype(f32)
GAMMA = _rng.normal(size=(3,)).astype(f32)
BETA = _rng.normal(size=(3,)).astype(f32)
MEAN5 = _rng.normal(size=(5,)).astype(f32)
VAR5 = _rng.uniform(0.5, 2.0, size=(5,)).astype(f32)


def r(a):
    return np.asarray(a, f64).astype(f32)


def _bn(x, mean, var, axis, offset=None, scale=None, eps=1e-3):
    shape = [1] * x.ndim
    shape[axis] = -1
    out = (x.astype(f64) - mean.reshape(shape)) / np.sqrt(var.astype(f64).reshape(shape) + eps)
    if scale is not None:
        out = out * scale.reshape(shape)
    if offset is not None:
        out = out + offset.reshape(shape)
    return r(out)


CASES = [
    case("moments", "axis0", XB, [0],
         expected=(r(XB.astype(f64).mean(0)), r(XB.astype(f64).var(0)))),
    case("moments", "axes01_keepdims", XB, (0, 1), keepdims=True,
         expected=(r(XB.astype(f64).mean((0, 1), keepdims=True)),
                   r(XB.astype(f64).var((0, 1), keepdims=True)))),
    case("moments", "neg_axis", XB, -1,
         expected=(r(XB.astype(f64).mean(-1)), r(XB.astype(f64).var(-1)))),
    case("batch_normalization", "axis1_affine", XB, MEAN, VAR, 1, offset=BETA, scale=GAMMA,
         expected=_bn(XB, MEAN, VAR, 1, BETA, GAMMA)),
    case("batch_normalization", "last_axis_plain", XB, MEAN5, VAR5, -1, epsilon=1e-5,
         expected=_bn(XB, MEAN5, VAR5, 2, eps=1e-5)),
]
