"""Projection einsums (``"abc,cde->abde"``, ``"abcd,cde->abe"``, ``"...b,bc->...c"``) and
the optional ``einsum_dense`` kernel: values and gradients against NumPy on every engine;
on torch, the flat-matmul path against torch.einsum's general path."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops
from kfront.backend.loader import adapter

RNG = np.random.default_rng(41)
TOL = dict(rtol=2e-5, atol=2e-5)

# equation, x shape, w shape; the first five are projections, the rest take the general path.
EQUATIONS = [
    ("abc,cde->abde", (2, 5, 6), (6, 3, 4)),
    ("abcd,cde->abe", (2, 5, 3, 4), (3, 4, 6)),
    ("abc,cd->abd", (2, 5, 6), (6, 3)),
    ("...b,bc->...c", (2, 3, 5, 6), (6, 4)),
    ("b,bc->c", (6,), (6, 4)),
    ("abc,dc->abd", (2, 5, 6), (3, 6)),
    ("abc,acd->abd", (2, 5, 6), (2, 6, 3)),
    ("abc,cd->bad", (2, 5, 6), (6, 3)),
]


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def _normal(shape):
    return RNG.normal(size=shape).astype("float32")


def _grads(fn, *inputs):
    """(output, g, [d sum(output * g) / d each input]) through kfront's value_and_grad,
    for a random cotangent ``g``."""
    variables = [keras.Variable(v) for v in inputs]
    g = _normal(tuple(ops.shape(fn(*inputs))))

    def loss():
        out = fn(*(v.value for v in variables))
        return ops.sum(ops.multiply(out, g)), out

    (_, out), grads = keras.backend.value_and_grad(loss, variables, has_aux=True)
    return np_(out), g, [np_(d) for d in grads]


def _reference_grads(equation, x, w, g):
    """NumPy's d/dx and d/dw of sum(g * einsum(X,W->Z)): einsum(Z,W->X), einsum(X,Z->W)."""
    ins, z = equation.replace("...", "").split("->")
    xs, ws = ins.split(",")
    lead = "".join(chr(ord("p") + i) for i in range(x.ndim - len(xs)))
    xs, z = lead + xs, lead + z
    return np.einsum(f"{z},{ws}->{xs}", g, w), np.einsum(f"{xs},{z}->{ws}", x, g)


@pytest.mark.parametrize("equation,x_shape,w_shape", EQUATIONS, ids=[e[0] for e in EQUATIONS])
def test_einsum_values_and_gradients_match_numpy(equation, x_shape, w_shape):
    x, w = _normal(x_shape), _normal(w_shape)
    out, g, (dx, dw) = _grads(lambda a, b: ops.einsum(equation, a, b), x, w)
    np.testing.assert_allclose(out, np.einsum(equation, x, w), **TOL)
    want_dx, want_dw = _reference_grads(equation, x, w, g)
    np.testing.assert_allclose(dx, want_dx, **TOL)
    np.testing.assert_allclose(dw, want_dw, **TOL)


def test_einsum_projection_of_integers_and_empty_batches():
    x = RNG.integers(-5, 5, size=(2, 3, 4)).astype("int32")
    w = RNG.integers(-5, 5, size=(4, 2, 3)).astype("int32")
    out = ops.einsum("abc,cde->abde", x, w)
    assert ops.dtype(out) == "int32"
    np.testing.assert_array_equal(np_(out), np.einsum("abc,cde->abde", x, w))
    empty = ops.einsum("abc,cd->abd", np.zeros((0, 3, 4), "float32"), _normal((4, 5)))
    assert tuple(ops.shape(empty)) == (0, 3, 5)


def test_dense_and_einsum_dense_gradients_match_numpy():
    x = _normal((2, 5, 6))
    dense = layers.Dense(4, bias_initializer="random_normal")
    dense.build(x.shape)
    xv = keras.Variable(x)
    g = _normal((2, 5, 4))

    def loss():
        return ops.sum(ops.multiply(dense(xv.value), g))

    _, (dx, dk, db) = keras.backend.value_and_grad(loss, [xv, dense.kernel, dense.bias])
    k = dense.kernel.numpy()
    np.testing.assert_allclose(np_(dx), g @ k.T, **TOL)
    np.testing.assert_allclose(np_(dk), np.einsum("abc,abd->cd", x, g), **TOL)
    np.testing.assert_allclose(np_(db), g.sum((0, 1)), **TOL)

    # MultiHeadAttention's query projection, with its (heads, head_dim) bias.
    proj = layers.EinsumDense("abc,cde->abde", (None, 3, 2), bias_axes="de",
                              bias_initializer="random_normal")
    proj.build(x.shape)
    g = _normal((2, 5, 3, 2))

    def proj_loss():
        return ops.sum(ops.multiply(proj(xv.value), g))

    out = np_(proj(x))
    k, b = proj.kernel.numpy(), proj.bias.numpy()
    np.testing.assert_allclose(out, np.einsum("abc,cde->abde", x, k) + b, **TOL)
    _, (dx, dk, db) = keras.backend.value_and_grad(proj_loss, [xv, proj.kernel, proj.bias])
    np.testing.assert_allclose(np_(dx), np.einsum("abde,cde->abc", g, k), **TOL)
    np.testing.assert_allclose(np_(dk), np.einsum("abc,abde->cde", x, g), **TOL)
    np.testing.assert_allclose(np_(db), g.sum((0, 1)), **TOL)


# equation, x, kernel, bias shapes: biases along the kernel's output axes fold into the
# product; a bias over an input axis ("b" below) or of another dtype is added afterwards.
KERNEL_CASES = [
    ("abc,cde->abde", (2, 5, 6), (6, 3, 4), (3, 4)),
    ("abc,cde->abde", (2, 5, 6), (6, 3, 4), (3, 1)),
    ("abcd,cde->abe", (2, 5, 3, 4), (3, 4, 6), (6,)),
    ("...b,bc->...c", (2, 5, 6), (6, 4), (4,)),
    ("abc,cd->abd", (2, 5, 6), (6, 4), (5, 4)),
    ("abc,dc->abd", (2, 5, 6), (4, 6), (4,)),
]


@pytest.mark.parametrize("equation,x_shape,w_shape,b_shape", KERNEL_CASES,
                         ids=[f"{c[0]}-{c[3]}" for c in KERNEL_CASES])
def test_einsum_dense_kernel_matches_numpy(equation, x_shape, w_shape, b_shape):
    kernel = getattr(adapter(), "einsum_dense", None)
    if kernel is None:
        pytest.skip("this engine's adapter has no einsum_dense kernel")
    x, w, b = _normal(x_shape), _normal(w_shape), _normal(b_shape)
    out, g, (dx, dw, db) = _grads(lambda *a: kernel(equation, *a), x, w, b)
    np.testing.assert_allclose(out, np.einsum(equation, x, w) + b, **TOL)
    want_dx, want_dw = _reference_grads(equation, x, w, g)
    np.testing.assert_allclose(dx, want_dx, **TOL)
    np.testing.assert_allclose(dw, want_dw, **TOL)
    summed = tuple(range(g.ndim - b.ndim)) + tuple(
        g.ndim - b.ndim + i for i, d in enumerate(b.shape) if d == 1)
    np.testing.assert_allclose(db, g.sum(summed).reshape(b.shape), **TOL)


@pytest.fixture
def torch_numpy(backend_name):
    if backend_name != "torch":
        pytest.skip("torch's flat-matmul path")
    import kfront.backends.torch.numpy as torch_numpy
    return torch_numpy


def test_projection_split_recognises_only_projections(torch_numpy):
    from kfront.backends.torch.projection import _projection_split as split
    assert split("abc,cde->abde", 3, 3) == (1, 2)
    assert split("abcd,cde->abe", 4, 3) == (2, 1)
    assert split("...b,bc->...c", 5, 2) == (1, 1)
    assert split("ab c, cd -> abd", 3, 2) == (1, 1)
    assert split("abc,bcd->ad", 3, 3) == (2, 1)
    for equation, x_ndim, w_ndim in [
            ("abc,dc->abd", 3, 2),       # kernel contracted on its last axis
            ("abc,cd->bad", 3, 2),       # free axes reordered
            ("abc,cbd->ad", 3, 3),       # contracted axes in another order
            ("abc,bd->acd", 3, 2),       # contracted axis is not the trailing one
            ("abc,acd->abd", 3, 3),      # a batch axis shared by both
            ("aab,bc->aac", 3, 2),       # repeated index
            ("abc,cd->abd", 4, 2),       # rank does not fit the equation
            ("ab...,bc->ac...", 3, 2),   # trailing ellipsis
            ("abc,cd", 3, 2),            # implicit output
            ("abc,cd,de->abe", 3, 2)]:   # three operands
        assert split(equation, x_ndim, w_ndim) is None, equation


@pytest.mark.parametrize("equation,x_shape,w_shape", EQUATIONS[:5], ids=[e[0] for e in
                                                                         EQUATIONS[:5]])
def test_flat_matmul_equals_torch_einsum_forward_and_backward(torch_numpy, equation, x_shape,
                                                              w_shape):
    import torch
    x, w = _normal(x_shape), _normal(w_shape)
    results = []
    for fast in (True, False):
        xt = torch.tensor(x, requires_grad=True)
        wt = torch.tensor(w, requires_grad=True)
        out = torch_numpy.einsum(equation, xt, wt) if fast else torch.einsum(equation, xt, wt)
        out.backward(torch.ones_like(out) * 0.5 + out.detach())
        results.append([out.detach().numpy(), xt.grad.numpy(), wt.grad.numpy()])
    for fast, general in zip(*results):
        np.testing.assert_allclose(fast, general, rtol=1e-5, atol=1e-5)


def test_flat_matmul_refuses_mismatched_shapes(torch_numpy):
    # The contracted sizes differ (4 against 2 x 2): no reshape may paper over that.
    with pytest.raises(RuntimeError, match="einsum"):
        torch_numpy.einsum("abcd,cde->abe", np.zeros((2, 3, 4, 1), "float32"),
                           np.zeros((2, 2, 5), "float32"))


def test_plain_dense_product_leaves_what_addmm_refuses_to_einsum(torch_numpy):
    # On 2-D operands torch's einsum_dense tries one addmm without checks of its own: a
    # refusal must end as einsum then add would (promotion, broadcasting, the error).
    from kfront.backends.torch.nn import einsum_dense
    x, w = _normal((3, 4)), _normal((4, 2))
    b_col = _normal((3, 1))  # broadcast over the rows, not along the kernel's output axis
    np.testing.assert_allclose(np_(einsum_dense("ab,bc->ac", x, w, b_col)), x @ w + b_col,
                               **TOL)
    x64, b = x.astype("float64"), _normal((2,))  # another dtype than the kernel's
    out = einsum_dense("...a,ab->...b", x64, w, b)
    want = ops.add(ops.einsum("...a,ab->...b", x64, w), b)
    assert ops.dtype(out) == ops.dtype(want)
    np.testing.assert_allclose(np_(out), np_(want), **TOL)
    with pytest.raises(RuntimeError, match="einsum"):
        einsum_dense("ab,bc->ac", _normal((3, 5)), w, _normal((2,)))
