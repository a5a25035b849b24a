"""Functional models with several inputs and outputs, as lists and dicts, and input checks."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers

RNG = np.random.default_rng(0)
A = RNG.normal(size=(4, 3)).astype("float32")
B = RNG.normal(size=(4, 2)).astype("float32")


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def two_head_graph():
    a = keras.Input(shape=(3,), name="a")
    b = keras.Input(shape=(2,), name="b")
    h = layers.Concatenate(name="cat")([a, b])
    y1 = layers.Dense(1, name="y1")(h)
    y2 = layers.Dense(2, activation="sigmoid", name="y2")(h)
    return a, b, y1, y2


def reference(model, a, b):
    h = np.concatenate([a, b], axis=-1)
    w1, b1 = model.get_layer("y1").get_weights()
    w2, b2 = model.get_layer("y2").get_weights()
    return h @ w1 + b1, 1 / (1 + np.exp(-(h @ w2 + b2)))


def test_list_inputs_list_outputs():
    a, b, y1, y2 = two_head_graph()
    model = keras.Model([a, b], [y1, y2])
    out = model.predict([A, B], verbose=0)
    assert isinstance(out, list) and len(out) == 2
    for got, want in zip(out, reference(model, A, B)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert model.input_shape == [(None, 3), (None, 2)]
    assert model.output_shape == [(None, 1), (None, 2)]
    assert model.output_names == ["y1", "y2"]


def test_list_model_accepts_dict_keyed_by_input_names():
    a, b, y1, y2 = two_head_graph()
    model = keras.Model([a, b], [y1, y2])
    by_list = model.predict([A, B], verbose=0)
    by_dict = model.predict({"b": B, "a": A}, verbose=0)
    for x, y in zip(by_list, by_dict):
        np.testing.assert_array_equal(x, y)


def test_dict_inputs_and_dict_outputs():
    a, b, y1, y2 = two_head_graph()
    model = keras.Model({"a": a, "b": b}, {"score": y1, "prob": y2})
    out = model.predict({"a": A, "b": B}, verbose=0)
    assert sorted(out) == ["prob", "score"]
    want1, want2 = reference(model, A, B)
    np.testing.assert_allclose(out["score"], want1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out["prob"], want2, rtol=1e-5, atol=1e-6)
    eager = model({"a": A, "b": B})
    np.testing.assert_allclose(to_np(eager["prob"]), want2, rtol=1e-5, atol=1e-6)


def test_single_output_in_list_of_one_input():
    a = keras.Input(shape=(3,))
    y = layers.Dense(2)(a)
    model = keras.Model([a], y)
    w, bias = model.layers[1].get_weights()
    np.testing.assert_allclose(model.predict(A, verbose=0), A @ w + bias, rtol=1e-5, atol=1e-6)


def test_missing_dict_key_errors():
    a, b, y1, y2 = two_head_graph()
    model = keras.Model({"a": a, "b": b}, y1, name="dm")
    with pytest.raises(ValueError, match=r"\"dm\" is missing input\(s\) \['b'\]; received keys "
                                         r"\['a'\]"):
        model.predict({"a": A}, verbose=0)


def test_dict_model_given_list_errors():
    a, b, y1, _ = two_head_graph()
    model = keras.Model({"a": a, "b": b}, y1, name="dm2")
    with pytest.raises(ValueError, match=r"\"dm2\" expects a dict of inputs with keys \['a', 'b'\]"):
        model([A, B])


def test_list_model_given_dict_with_wrong_keys_errors():
    a, b, y1, _ = two_head_graph()
    model = keras.Model([a, b], y1, name="lm")
    with pytest.raises(ValueError, match=r"\"lm\" has inputs \['a', 'b'\]; received a dict with "
                                         r"keys \['a', 'c'\]"):
        model({"a": A, "c": B})


def test_wrong_number_of_inputs_errors():
    a, b, y1, _ = two_head_graph()
    model = keras.Model([a, b], y1, name="two")
    with pytest.raises(ValueError, match='"two" expects 2 input\\(s\\), but it received 1'):
        model.predict([A], verbose=0)


def test_wrong_input_shape_at_predict_names_model():
    a, b, y1, _ = two_head_graph()
    model = keras.Model([a, b], y1, name="shapes")
    with pytest.raises(ValueError, match=r'Input 1 of layer "shapes" is incompatible.*'
                                         r"expected shape=\(None, 2\), found shape=\(4, 5\)"):
        model.predict([A, np.ones((4, 5), "float32")], verbose=0)


def test_wrong_input_rank_at_call_names_model():
    a = keras.Input(shape=(3,))
    model = keras.Model(a, layers.Dense(2)(a), name="rank")
    with pytest.raises(ValueError, match=r'Input 0 of layer "rank".*expected ndim=2, found '
                                         r"ndim=3"):
        model(np.ones((2, 2, 3), "float32"))


def test_non_symbolic_inputs_error():
    with pytest.raises(ValueError, match="All `inputs` of a Functional model must be symbolic.*"
                                         "ndarray"):
        keras.Model(A, keras.Input(shape=(3,)))


def test_int_input_keeps_dtype_through_graph():
    ids = keras.Input(shape=(3,), dtype="int32")
    table = layers.Embedding(5, 2)
    model = keras.Model(ids, table(ids))
    idx = np.array([[0, 4, 1]])
    np.testing.assert_array_equal(model.predict(idx, verbose=0),
                                  table.get_weights()[0][idx])
