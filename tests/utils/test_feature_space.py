"""FeatureSpace against Keras 3's on the same data: encodings, crosses, both output modes,
adapt from dicts and datasets, a model trained on the encoded features, save/load."""
import numpy as np
import pytest

import kfront as keras
from keras_reference import keras_numbers
from kfront.utils import FeatureSpace
from kfront.utils.dataset_pipeline import Dataset

RNG = np.random.default_rng(3)
N = 48
DATA = {"age": RNG.normal(40, 10, N).astype("float32"),
        "city": RNG.choice(["paris", "oslo", "lima"], N),
        "zip": RNG.integers(0, 1000, N).astype("int32"),
        "score": RNG.uniform(0, 1, N).astype("float32"),
        "kind": RNG.integers(0, 4, N).astype("int32"),
        "tag": RNG.choice(["x", "y", "z", "w"], N),
        "raw": RNG.normal(size=N).astype("float32"),
        "price": RNG.uniform(0, 10, N).astype("float32")}

SPEC = """
def spec(F):
    return {"age": F.float_normalized(), "city": F.string_categorical(),
            "zip": F.integer_hashed(16), "score": F.float_discretized(num_bins=4),
            "kind": F.integer_categorical(num_oov_indices=0), "tag": "string_hashed",
            "raw": F.float(), "price": F.float_rescaled(scale=0.1, offset=1.0)}
def crosses(F):
    return [("city", "kind"), F.cross(("tag", "zip"), 5, output_mode="int")]
"""

KERAS = SPEC + """
import tensorflow as tf
F = keras.utils.FeatureSpace
for mode in ("concat", "dict"):
    crossing = crosses(F)[:1] if mode == "concat" else crosses(F)
    fs = F(spec(F), crosses=crossing, crossing_dim=7, hashing_dim=8, output_mode=mode)
    fs.adapt(tf.data.Dataset.from_tensor_slices(inp).batch(10))
    got = fs(dict(inp))
    if mode == "concat":
        out["concat"] = np.asarray(got)
    else:
        for k, v in got.items():
            out["dict_" + k] = np.asarray(v)
"""
exec(SPEC)


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _space(mode):
    crossing = crosses(FeatureSpace)[:1] if mode == "concat" else crosses(FeatureSpace)
    return FeatureSpace(spec(FeatureSpace), crosses=crossing, crossing_dim=7, hashing_dim=8,
                        output_mode=mode)


def test_concat_and_dict_match_keras():
    want = keras_numbers(KERAS, **DATA)
    fs = _space("concat")
    fs.adapt(DATA)
    got = _np(fs(DATA))
    assert got.shape == want["concat"].shape == (N, 1 + 4 + 16 + 4 + 4 + 8 + 1 + 1 + 7)
    np.testing.assert_allclose(got, want["concat"], rtol=1e-5, atol=1e-5)
    fs = _space("dict")
    # A dataset of dict batches adapts like the dict itself.
    fs.adapt(Dataset.from_tensor_slices(DATA).batch(10))
    got = fs(DATA)
    assert sorted(got) == sorted(k[5:] for k in want if k.startswith("dict_"))
    for key, value in got.items():
        np.testing.assert_allclose(_np(value), want["dict_" + key], rtol=1e-5, atol=1e-5,
                                   err_msg=key)
    assert _np(got["tag_X_zip"]).shape == (N, 1)  # an int cross stays an index
    single = _np(fs({k: v[0] for k, v in DATA.items()})["city"])
    assert single.shape == (4,)  # one sample without a batch axis


def test_model_on_encoded_features_trains_and_space_reloads(tmp_path):
    fs = _space("concat")
    fs.adapt(DATA)
    encoded = fs.get_encoded_features()
    assert tuple(encoded.shape) == (None, 46)
    outputs = keras.layers.Dense(1, activation="sigmoid")(
        keras.layers.Dense(8, activation="relu")(encoded))
    model = keras.Model(encoded, outputs)
    model.compile("adam", "binary_crossentropy")
    y = (DATA["age"] > 40).astype("float32")
    ds = Dataset.from_tensor_slices((DATA, y)).batch(16)
    history = model.fit(ds.map(lambda x, label: (fs(x), label)), epochs=3, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    inputs = fs.get_inputs()
    assert sorted(inputs) == sorted(DATA) and tuple(inputs["age"].shape) == (None, 1)
    for ext in ("kfront", "keras"):
        fs.save(tmp_path / f"space.{ext}")
        again = keras.saving.load_model(tmp_path / f"space.{ext}")
        assert isinstance(again, FeatureSpace)
        np.testing.assert_allclose(_np(again(DATA)), _np(fs(DATA)), rtol=1e-6)


def test_errors():
    with pytest.raises(ValueError, match="The `features` argument cannot be None or empty"):
        FeatureSpace({})
    with pytest.raises(ValueError, match="Invalid feature type: 'floaty'"):
        FeatureSpace({"a": "floaty"})
    with pytest.raises(ValueError, match="Expected one of {'dict', 'concat'}"):
        FeatureSpace({"a": "float"}, output_mode="list")
    with pytest.raises(ValueError, match="Received unknown features: \\['b'\\]"):
        FeatureSpace({"a": "float"}, crosses=[("a", "b")])
    with pytest.raises(ValueError, match="Expected one of {'int', 'one_hot', 'float'}"):
        FeatureSpace.feature("float32", keras.layers.Identity(), "dense")
    fs = FeatureSpace({"age": "float_normalized"})
    with pytest.raises(ValueError, match=r"call `.adapt\(dataset\)` on the FeatureSpace"):
        fs({"age": DATA["age"]})
    with pytest.raises(ValueError, match="expects the dataset to yield dicts"):
        fs.adapt([(DATA["age"], DATA["age"])])
    fs.adapt({"age": DATA["age"]})
    with pytest.raises(ValueError, match="can only be called with a dict"):
        fs(DATA["age"])
    with pytest.raises(ValueError, match=r"no value for the features \['age'\]"):
        fs({"height": DATA["age"]})
    ints = FeatureSpace({"k": FeatureSpace.integer_categorical(output_mode="int")})
    ints.adapt({"k": DATA["kind"]})
    with pytest.raises(ValueError, match="Cannot concatenate features because feature 'k'"):
        ints({"k": DATA["kind"]})


def test_inside_tf_data_map_as_keras_tutorials_use_it():
    tf = pytest.importorskip("tensorflow")
    y = (DATA["age"] > 40).astype("float32")
    ds = tf.data.Dataset.from_tensor_slices((DATA, y)).batch(16)
    for mode in ("concat", "dict"):
        fs = _space(mode)
        fs.adapt(ds.map(lambda x, _: x))
        mapped = ds.map(lambda x, label: (fs(x), label), num_parallel_calls=tf.data.AUTOTUNE)
        eager = fs(DATA)
        first = next(iter(mapped))[0]
        if mode == "concat":
            assert mapped.element_spec[0].shape.as_list() == [None, 46]
            np.testing.assert_allclose(np.asarray(first), _np(eager)[:16], rtol=1e-6)
        else:
            for key, value in first.items():
                np.testing.assert_allclose(np.asarray(value), _np(eager[key])[:16], rtol=1e-6)
    encoded = keras.Input((46,))
    model = keras.Model(encoded, keras.layers.Dense(1)(encoded))
    model.compile("sgd", "mse")
    fs = _space("concat")
    fs.adapt(DATA)
    history = model.fit(ds.map(lambda x, label: (fs(x), label)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
