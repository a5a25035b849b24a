"""kfront.backend's dtype tools: result_type against the table keras 3.15 gives (recorded
from keras on TensorFlow; other engines narrow int64/float64 to 32 bits as Keras does),
is_float_dtype / is_int_dtype / standardize_dtype, get_uid."""
import json
import os

import numpy as np
import pytest

import kfront as keras

_TABLE = os.path.join(os.path.dirname(__file__), "keras_result_types.json")
_TYPES = {"int": int, "float": float, "None": None}


def _expected(tf_result):
    if keras.backend.backend() == "tensorflow":
        return tf_result
    return {"int64": "int32", "float64": "float32"}.get(tf_result, tf_result)


def test_result_type_matches_keras_on_every_pair():
    with open(_TABLE) as f:
        table = json.load(f)
    mismatches = []
    for pair, want in table.items():
        a, b = (_TYPES.get(name, name) for name in pair.split(","))
        try:
            got = keras.backend.result_type(a, b)
        except ValueError:
            got = "ERR"
        if got != _expected(want):
            mismatches.append((pair, got, _expected(want)))
    assert not mismatches and len(table) == 256


def test_result_type_special_cases():
    assert keras.backend.result_type() == "float32"
    assert keras.backend.result_type(int) == "int32"
    assert keras.backend.result_type("bfloat16", int) == "bfloat16"
    assert keras.backend.result_type("uint8", "int8", "bool") == "int16"
    assert keras.backend.result_type(np.dtype("float16"), np.float32) == "float32"
    with pytest.raises(ValueError, match="no implicit conversions from float8"):
        keras.backend.result_type("float8_e4m3fn", "float32")
    with pytest.raises(ValueError, match="'string' is not a valid dtype for Keras type "
                                         "promotion"):
        keras.backend.result_type("string", "float32")


def test_dtype_predicates_and_standardize_dtype():
    assert keras.backend.is_float_dtype("bfloat16") and keras.backend.is_float_dtype(float)
    assert keras.backend.is_float_dtype(np.float64) and not keras.backend.is_float_dtype("int8")
    assert keras.backend.is_int_dtype("uint16") and keras.backend.is_int_dtype(np.int64)
    assert not keras.backend.is_int_dtype("float32") and not keras.backend.is_int_dtype(bool)
    tf = keras.backend.backend() == "tensorflow"
    assert keras.backend.standardize_dtype(int) == ("int64" if tf else "int32")
    assert keras.backend.standardize_dtype(float) == "float32"
    assert keras.backend.standardize_dtype(None) == "float32"
    x = keras.ops.ones((2,), dtype="int16")
    assert keras.backend.standardize_dtype(x.dtype) == "int16"


def test_get_uid_counts_with_layer_names():
    keras.backend.clear_session()
    assert keras.backend.get_uid("surface_prefix") == 1
    assert keras.backend.get_uid("surface_prefix") == 2
    keras.layers.Dense(2)
    assert keras.backend.get_uid("dense") == 2
    assert keras.layers.Dense(2).name == "dense_2"
    keras.backend.clear_session()
    assert keras.backend.get_uid("surface_prefix") == 1
