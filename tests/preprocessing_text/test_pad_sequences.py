"""pad_sequences against Keras 3's own function (run in a subprocess) and its error rules."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from kfront import config

import kfront as keras
from kfront.preprocessing.sequence import pad_sequences as pad_from_preprocessing
from kfront.utils import pad_sequences

_REFERENCE = """
import json, sys
import numpy as np
from keras.src.utils.sequence_utils import pad_sequences
out = []
for case in json.load(sys.stdin):
    seqs = case.pop("sequences")
    out.append(pad_sequences(seqs, **case).tolist())
print(json.dumps(out))
"""


def _random_cases():
    rng = np.random.default_rng(0)
    cases = []
    for i in range(24):
        seqs = [rng.integers(1, 50, size=rng.integers(0, 9)).tolist() for _ in range(5)]
        cases.append({"sequences": seqs,
                      "maxlen": None if i % 3 == 0 else int(rng.integers(1, 10)),
                      "padding": ("pre", "post")[i % 2],
                      "truncating": ("pre", "post")[(i // 2) % 2],
                      "value": float(i % 4), "dtype": ("int32", "float32")[i % 2]})
    return cases


@pytest.fixture(scope="module")
def keras_outputs():
    # Host-side NumPy code, the same under every engine: compared once, in the first session.
    if config.backend() != config.installed_backends()[0]:
        pytest.skip("reference comparison runs in the first installed backend's session")
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    cases = _random_cases()
    done = subprocess.run([sys.executable, "-c", _REFERENCE], input=json.dumps(cases),
                          capture_output=True, text=True, env=env, timeout=300)
    if done.returncode != 0:
        pytest.skip(f"Keras 3 reference unavailable: {done.stderr[-300:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_matches_keras_on_random_inputs(keras_outputs):
    for case, expected in zip(_random_cases(), keras_outputs):
        seqs = case.pop("sequences")
        got = pad_sequences(seqs, **case)
        assert got.dtype == np.dtype(case["dtype"])
        np.testing.assert_array_equal(got, np.asarray(expected, dtype=case["dtype"]))


def test_documented_example_and_paths():
    np.testing.assert_array_equal(pad_sequences([[1, 2], [3]], padding="post"),
                                  [[1, 2], [3, 0]])
    np.testing.assert_array_equal(pad_sequences([[1, 2, 3], [4]], maxlen=2),
                                  [[2, 3], [0, 4]])
    np.testing.assert_array_equal(pad_sequences([[1, 2, 3]], maxlen=2, truncating="post"),
                                  [[1, 2]])
    assert pad_from_preprocessing is pad_sequences
    assert keras.preprocessing.sequence.pad_sequences is pad_sequences


def test_items_with_shape_and_strings():
    out = pad_sequences([[[1, 2]], [[3, 4], [5, 6]]], maxlen=3)
    assert out.shape == (2, 3, 2)
    np.testing.assert_array_equal(out[0], [[0, 0], [0, 0], [1, 2]])
    words = pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert words.tolist() == [["a", "b"], ["<pad>", "c"]]


def test_errors():
    with pytest.raises(ValueError, match='Padding type "middle" not understood'):
        pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match='Truncating type "mid" not understood'):
        pad_sequences([[1]], truncating="mid")
    with pytest.raises(ValueError, match="not compatible with `value`'s type"):
        pad_sequences([[1]], value="x")
    with pytest.raises(ValueError, match="is different from expected shape"):
        pad_sequences([[[1, 2]], [[1, 2, 3]]])
    with pytest.raises(ValueError, match="Found non-iterable: 3"):
        pad_sequences([[1], 3])
    with pytest.raises(ValueError, match="`sequences` must be iterable"):
        pad_sequences(5)
    with pytest.raises(ValueError, match="`maxlen` must be a non-negative int"):
        pad_sequences([[1]], maxlen=-1)
