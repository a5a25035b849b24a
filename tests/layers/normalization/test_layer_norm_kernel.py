"""LayerNormalization through the engine's fused ``layer_norm`` kernel (torch) and through
moments: values and gradients against NumPy on every engine, the two paths against each
other on torch, mixed precision, and the kernel's refusal of non-trailing axes."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops
from kfront.backend.loader import adapter

RNG = np.random.default_rng(17)
X = RNG.normal(1.5, 2.0, size=(3, 4, 6)).astype("float32")
G = RNG.normal(size=X.shape).astype("float32")
TOL = dict(rtol=1e-4, atol=1e-5)

# axis, center, scale: trailing axes (fused where the engine has the kernel) and an inner
# axis (always moments).
CONFIGS = [(-1, True, True), (-1, False, True), (-1, True, False), (-1, False, False),
           ([1, 2], True, True), (1, True, True)]


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def _layer(axis, center, scale, **kwargs):
    ln = layers.LayerNormalization(axis=axis, center=center, scale=scale, epsilon=1e-3,
                                   **kwargs)
    ln.build(X.shape)
    # Non-trivial gamma and beta, so the affine part shows in values and gradients.
    ln.set_weights([RNG.normal(1.0, 0.5, size=w.shape).astype("float32")
                    for w in ln.get_weights()])
    return ln


def _reference(ln, x, g):
    """NumPy (float64) output and gradients (x, then the layer's weights) of sum(g * ln(x))."""
    axes = tuple(a % x.ndim for a in ([ln.axis] if isinstance(ln.axis, int) else ln.axis))
    shape = [x.shape[i] if i in axes else 1 for i in range(x.ndim)]
    others = tuple(i for i in range(x.ndim) if i not in axes)
    x, g = x.astype("float64"), g.astype("float64")
    gamma = ln.gamma.numpy().reshape(shape) if ln.scale else 1.0
    beta = ln.beta.numpy().reshape(shape) if ln.center else 0.0
    mean = x.mean(axes, keepdims=True)
    inv = 1.0 / np.sqrt(x.var(axes, keepdims=True) + 1e-3)
    xhat = (x - mean) * inv
    dxhat = g * gamma
    dx = inv * (dxhat - dxhat.mean(axes, keepdims=True)
                - xhat * (dxhat * xhat).mean(axes, keepdims=True))
    weights = []
    if ln.scale:
        weights.append((g * xhat).sum(others).reshape(ln.gamma.shape))
    if ln.center:
        weights.append(g.sum(others).reshape(ln.beta.shape))
    return xhat * gamma + beta, [dx] + weights


def _value_and_grads(ln, x, g):
    xv = keras.Variable(x)

    def loss():
        out = ln(xv.value)
        return ops.sum(ops.multiply(ops.cast(out, "float32"), g)), out

    (_, out), grads = keras.backend.value_and_grad(loss, [xv] + ln.trainable_weights,
                                                   has_aux=True)
    return np_(out), [np_(d) for d in grads]


@pytest.mark.parametrize("axis,center,scale", CONFIGS, ids=[str(c) for c in CONFIGS])
def test_layer_norm_values_and_gradients_match_numpy(axis, center, scale):
    ln = _layer(axis, center, scale)
    out, grads = _value_and_grads(ln, X, G)
    want, want_grads = _reference(ln, X, G)
    np.testing.assert_allclose(out, want, **TOL)
    assert len(grads) == len(want_grads)
    for got, ref in zip(grads, want_grads):
        np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-4)


@pytest.fixture
def kernel_calls(monkeypatch):
    """Counts the calls of the adapter's ``layer_norm`` kernel (skips engines without)."""
    module = adapter()
    kernel = getattr(module, "layer_norm", None)
    if kernel is None:
        pytest.skip("this engine's adapter has no layer_norm kernel")
    calls = []

    def counted(*args, **kwargs):
        calls.append(args[3])
        return kernel(*args, **kwargs)

    monkeypatch.setattr(module, "layer_norm", counted)
    return calls


@pytest.mark.parametrize("axis,center,scale", CONFIGS, ids=[str(c) for c in CONFIGS])
def test_fused_kernel_equals_moments_path(kernel_calls, monkeypatch, axis, center, scale):
    ln = _layer(axis, center, scale)
    fused = _value_and_grads(ln, X, G)
    trailing = axis != 1
    assert bool(kernel_calls) == trailing
    monkeypatch.delattr(adapter(), "layer_norm")
    moments = _value_and_grads(ln, X, G)
    for got, ref in zip([fused[0]] + fused[1], [moments[0]] + moments[1]):
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


def test_rms_scaling_keeps_the_moments_path(kernel_calls):
    with pytest.warns(UserWarning, match="rms_scaling"):
        ln = layers.LayerNormalization(rms_scaling=True)
    out = np_(ln(X))
    assert kernel_calls == []
    x64 = X.astype("float64")
    np.testing.assert_allclose(out, x64 / np.sqrt(x64.var(-1, keepdims=True) + 1e-3), **TOL)


@pytest.mark.parametrize("policy,rtol", [("mixed_float16", 2e-2), ("mixed_bfloat16", 5e-2)])
def test_layer_norm_mixed_precision(policy, rtol):
    ln = _layer(-1, True, True, dtype=policy)
    assert ln.gamma.dtype == "float32"
    out = ln(X)
    assert ops.dtype(out) == policy.split("_")[1]
    want, _ = _reference(ln, X, G)
    np.testing.assert_allclose(np_(out).astype("float32"), want, rtol=rtol, atol=rtol)


def test_kernel_refuses_inner_axes():
    kernel = getattr(adapter(), "layer_norm", None)
    if kernel is None:
        pytest.skip("this engine's adapter has no layer_norm kernel")
    np.testing.assert_allclose(np_(kernel(X, None, None, [-2, -1], 1e-3)), (
        (X - X.mean((1, 2), keepdims=True)) / np.sqrt(X.var((1, 2), keepdims=True) + 1e-3)),
        **TOL)
    with pytest.raises(ValueError, match="must be the trailing axes of the input; received "
                                         r"axes=\[1\] for an input of rank 3"):
        kernel(X, None, None, [1], 1e-3)
