"""Control-flow ops on symbolic tensors: each call is one node of a Functional model, with
Keras's output spec, and the model replays it with the callables it was given."""
import numpy as np
import pytest

import kfront as keras
from kfront import ops

f32 = np.float32
XV = np.random.default_rng(2).normal(size=(3, 5, 4)).astype(f32)


def _step(carry, x_t):
    carry = carry * 0.5 + x_t
    return carry, ops.sum(carry, axis=-1)


def _np_scan(x):
    carry = np.zeros((x.shape[0], x.shape[2]), f32)
    ys = []
    for t in range(x.shape[1]):
        carry = carry * 0.5 + x[:, t]
        ys.append(carry.sum(-1))
    return carry, np.stack(ys)


def _run(model, data):
    out = model(data)
    if isinstance(out, (list, tuple)):
        return [np.asarray(ops.convert_to_numpy(o)) for o in out]
    return np.asarray(ops.convert_to_numpy(out))


def _predict(inputs, outputs):
    return _run(keras.Model(inputs, outputs), XV)


@pytest.fixture
def x():
    return keras.Input(shape=(5, 4))


def test_scan_over_time(x):
    steps = ops.transpose(x, (1, 0, 2))
    carry, ys = ops.scan(_step, ops.zeros_like(steps[0]), steps)
    assert carry.shape == (None, 4) and ys.shape == (5, None)
    got_carry, got_ys = _predict(x, [carry, ys])
    want_carry, want_ys = _np_scan(XV)
    np.testing.assert_allclose(got_carry, want_carry, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_ys, want_ys, rtol=1e-5, atol=1e-6)


def test_slice_and_slice_update(x):
    part = ops.slice(x, [0, 1, 2], [-1, 3, 2])
    assert part.shape == (None, 3, 2)
    zeroed = ops.slice_update(x, [0, 0, 0], ops.zeros((3, 1, 4)))
    assert zeroed.shape == (None, 5, 4)
    got_part, got_zeroed = _predict(x, [part, zeroed])
    np.testing.assert_allclose(got_part, XV[:, 1:4, 2:4])
    want = XV.copy()
    want[:, 0] = 0
    np.testing.assert_allclose(got_zeroed, want)


def test_cond_on_a_symbolic_predicate(x):
    pred = ops.sum(x) > 0
    out = ops.cond(pred, lambda: ops.ones((2,)), lambda: ops.zeros((2,)))
    assert out.shape == (2,)
    model = keras.Model(x, out)
    np.testing.assert_allclose(_run(model, np.abs(XV)), [1, 1])
    np.testing.assert_allclose(_run(model, -np.abs(XV)), [0, 0])


def test_cond_branches_must_agree(x):
    with pytest.raises(ValueError, match="same structure, shapes and dtypes"):
        ops.cond(ops.sum(x) > 0, lambda: ops.ones((2,)), lambda: ops.zeros((3,)))


def test_switch_loops_and_maps(x):
    index = ops.cast(ops.mean(x) > 0, "int32")
    switched = ops.switch(index, [lambda a: a * 2.0, lambda a: a - 1.0], x)
    looped = ops.fori_loop(0, 3, lambda i, s: s * 0.5, x)
    # The symbolic spec never runs the loop: on zero stand-ins it would not end.
    doubled = ops.while_loop(lambda v: ops.sum(v) < 1e3, lambda v: v * 2.0 + 1.0, x,
                             maximum_iterations=2)
    mapped = ops.map(lambda row: ops.sum(row, axis=0), x)
    vmapped = ops.vectorized_map(lambda row: ops.max(row, axis=-1), x)
    assert [t.shape for t in (switched, looped, doubled)] == [(None, 5, 4)] * 3
    assert mapped.shape[1:] == (4,) and vmapped.shape[1:] == (5,)
    outs = _predict(x, [switched, looped, doubled, mapped, vmapped])
    branch = (XV - 1.0) if XV.mean() > 0 else XV * 2.0
    want = [branch, XV * 0.125, (XV * 2 + 1) * 2 + 1, XV.sum(1), XV.max(-1)]
    for got, ref in zip(outs, want):
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


def test_segment_and_scatter(x):
    flat = ops.reshape(x, (-1, 20))
    ids = ops.convert_to_tensor(np.array([0, 1, 0], np.int32))
    sums = ops.segment_sum(flat, ids, num_segments=2)
    assert sums.shape == (2, 20)
    updated = ops.scatter_update(flat, [[0]], ops.zeros((1, 20)), reduction="mul")
    assert updated.shape == (None, 20)
    got_sums, got_updated = _predict(x, [sums, updated])
    ref = XV.reshape(3, 20)
    np.testing.assert_allclose(got_sums, [ref[0] + ref[2], ref[1]], rtol=1e-6)
    np.testing.assert_allclose(got_updated, np.concatenate([0 * ref[:1], ref[1:]]))


def test_nested_loop_state_is_traced(x):
    # dispatch looks one list deep; a nested carry must still make a node.
    (a, (b, c)), ys = ops.scan(lambda carry, t: ((carry[0] + t, (carry[1][0] * 2.0,
                                                                 carry[1][1])), t),
                               (ops.zeros((4,)), (ops.ones((4,)), ops.zeros(()))),
                               x[0])
    assert a.shape == (4,) and b.shape == (4,) and c.shape == () and ys.shape == (5, 4)
    got = _predict(x, [a, b])
    np.testing.assert_allclose(got[0], XV[0].sum(0), rtol=1e-5)
    np.testing.assert_allclose(got[1], np.full(4, 32.0))


class Doubling(keras.layers.Layer):
    """Doubles its input until it is large: on zeros this loop would never end."""

    def call(self, x):
        return ops.while_loop(lambda v: ops.sum(ops.abs(v)) < 1e3, lambda v: v * 2.0, x)


def test_layer_with_a_value_dependent_loop_in_a_functional_model(x):
    if keras.backend.backend() == "tensorflow":
        pytest.skip("TensorFlow's shape inference runs a layer's call eagerly on zeros")
    out = Doubling()(x)
    assert out.shape == (None, 5, 4)
    want = XV.copy()
    while np.abs(want).sum() < 1e3:
        want = want * 2
    np.testing.assert_allclose(_predict(x, out), want, rtol=1e-6)
