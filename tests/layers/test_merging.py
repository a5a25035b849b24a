"""Concatenate and the merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum)."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers

RNG = np.random.default_rng(0)
A, B, C = (RNG.normal(size=(2, 3)).astype("float32") for _ in range(3))


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


MERGES = [
    (layers.Add, layers.add, lambda xs: sum(xs)),
    (layers.Subtract, layers.subtract, lambda xs: xs[0] - xs[1]),
    (layers.Multiply, layers.multiply, lambda xs: np.prod(xs, axis=0)),
    (layers.Average, layers.average, lambda xs: np.mean(xs, axis=0)),
    (layers.Maximum, layers.maximum, lambda xs: np.max(xs, axis=0)),
    (layers.Minimum, layers.minimum, lambda xs: np.min(xs, axis=0)),
]
IDS = [m[0].__name__ for m in MERGES]


@pytest.mark.parametrize("cls,fn,ref", MERGES, ids=IDS)
def test_merge_two_inputs_matches_numpy(cls, fn, ref):
    np.testing.assert_allclose(to_np(cls()([A, B])), ref([A, B]), rtol=1e-6)


@pytest.mark.parametrize("cls,fn,ref", [m for m in MERGES if m[0] is not layers.Subtract],
                         ids=[i for i in IDS if i != "Subtract"])
def test_merge_three_inputs_in_model(cls, fn, ref):
    inputs = [keras.Input(shape=(3,)) for _ in range(3)]
    out = fn(inputs)
    assert out.shape == (None, 3)
    model = keras.Model(inputs, out)
    np.testing.assert_allclose(model.predict([A, B, C], verbose=0), ref([A, B, C]), rtol=1e-5)


def test_merge_broadcasts_size_one_axis():
    col = RNG.normal(size=(2, 1)).astype("float32")
    np.testing.assert_allclose(to_np(layers.Add()([A, col])), A + col, rtol=1e-6)
    x, y = keras.Input(shape=(3,)), keras.Input(shape=(1,))
    assert layers.Add()([x, y]).shape == (None, 3)


def test_subtract_needs_exactly_two():
    with pytest.raises(ValueError, match=r'"sub3" \(Subtract\) needs exactly 2 inputs'):
        layers.Subtract(name="sub3")([A, B, C])


@pytest.mark.parametrize("cls", [m[0] for m in MERGES], ids=IDS)
def test_merge_incompatible_shapes_symbolic(cls):
    x, y = keras.Input(shape=(3,)), keras.Input(shape=(4,))
    with pytest.raises(ValueError, match=r'Layer "bad" needs inputs with matching shapes.*'
                                         r'\(None, 3\), \(None, 4\)'):
        cls(name="bad")([x, y])


def test_merge_incompatible_shapes_eager():
    with pytest.raises(ValueError, match=r"matching shapes.*\(2, 3\), \(2, 5\)"):
        layers.Multiply()([A, np.ones((2, 5), "float32")])


def test_merge_single_input_errors():
    with pytest.raises(ValueError, match="should be called on a list of at least 2 inputs"):
        layers.Add()([A])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_matches_numpy(axis):
    np.testing.assert_array_equal(to_np(layers.Concatenate(axis=axis)([A, B, C])),
                                  np.concatenate([A, B, C], axis=axis))


def test_concatenate_symbolic_shapes_and_model():
    x, y = keras.Input(shape=(2, 3)), keras.Input(shape=(2, 5))
    out = layers.concatenate([x, y])
    assert out.shape == (None, 2, 8)
    assert layers.Concatenate(axis=1)([x, x]).shape == (None, 4, 3)
    a = RNG.normal(size=(4, 2, 3)).astype("float32")
    b = RNG.normal(size=(4, 2, 5)).astype("float32")
    model = keras.Model([x, y], out)
    np.testing.assert_array_equal(model.predict([a, b], verbose=0), np.concatenate([a, b], -1))


def test_concatenate_shape_mismatch_errors():
    x, y = keras.Input(shape=(2, 3)), keras.Input(shape=(4, 5))
    with pytest.raises(ValueError, match=r'"cat" \(Concatenate\) needs inputs with matching '
                                         r"shapes except for the concatenation axis -1"):
        layers.Concatenate(name="cat")([x, y])


def test_concatenate_rank_mismatch_errors():
    with pytest.raises(ValueError, match="needs inputs of the same rank"):
        layers.Concatenate()([keras.Input(shape=(3,)), keras.Input(shape=(2, 3))])


def test_concatenate_single_input_errors():
    with pytest.raises(ValueError, match="should be called on a list of at least 2 inputs"):
        layers.Concatenate()([A])


def test_concatenate_eager_mismatch_errors():
    with pytest.raises(ValueError, match=r"except for the concatenation axis 1.*\(2, 3\), "
                                         r"\(3, 3\)"):
        layers.Concatenate(axis=1)([A, np.ones((3, 3), "float32")])
