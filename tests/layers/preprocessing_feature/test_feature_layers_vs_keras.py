"""The feature layers against the real Keras 3 layers (TF backend, in a subprocess)."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import kfront as keras
from kfront import ops

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "A cat, a dog; a bird?",
         "dogs and cats and birds", "the the the end"]
WORDS = ["red", "green", "blue", "green", "teal", "x" * 70, "naïve", "", "blue"]
NUMBERS = [[0.1, 5.0], [2.5, -1.0], [3.3, 4.4], [9.0, 0.0], [1.0, 1.0], [7.5, 2.2]]

_REFERENCE = """
import json, sys
import numpy as np
import keras
texts, words, numbers = json.load(sys.stdin)
L, out = keras.layers, {}
tv = L.TextVectorization(max_tokens=12, output_sequence_length=6)
tv.adapt(texts)
out["tv_vocab"] = tv.get_vocabulary()
out["tv_int"] = np.asarray(tv(texts)).tolist()
for mode in ("count", "tf_idf"):
    bag = L.TextVectorization(output_mode=mode, ngrams=2)
    bag.adapt(texts)
    out[mode + "_vocab"] = bag.get_vocabulary()
    out[mode] = np.asarray(bag(texts)).tolist()
out["hash"] = np.asarray(L.Hashing(num_bins=1000)(np.array(words))).tolist()
out["hash_mask"] = np.asarray(L.Hashing(num_bins=9, mask_value="")(np.array(words))).tolist()
out["hash_salt"] = np.asarray(L.Hashing(num_bins=1000, salt=[7, 11])(np.array(words))).tolist()
out["hash_int"] = np.asarray(L.Hashing(num_bins=50)(np.array([1, 22, 333]))).tolist()
sl = L.StringLookup(num_oov_indices=2)
sl.adapt(np.array(words))
out["sl_vocab"] = sl.get_vocabulary()
out["sl"] = np.asarray(sl(np.array(words + ["unseen", "other"]))).tolist()
nz = L.Normalization()
nz.adapt(np.array(numbers, "float32"))
out["norm"] = np.asarray(nz(np.array(numbers, "float32"))).tolist()
dz = L.Discretization(num_bins=3)
dz.adapt(np.array(numbers, "float32"))
out["disc_bounds"] = [float(b) for b in dz.bin_boundaries]
il = L.IntegerLookup(num_oov_indices=2, output_mode="multi_hot")
il.adapt(np.array([4, 4, 9, 1, 9, 9]))
out["il"] = np.asarray(il(np.array([[4, 7], [9, 8]]))).tolist()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def ref():
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", _REFERENCE],
                          input=json.dumps([TEXTS, WORDS, NUMBERS]), capture_output=True,
                          text=True, env=env, timeout=300)
    if done.returncode != 0:
        pytest.skip(f"Keras 3 reference unavailable: {done.stderr[-300:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _np(x):
    return ops.convert_to_numpy(x)


def test_text_vectorization_matches_keras(ref):
    L = keras.layers
    tv = L.TextVectorization(max_tokens=12, output_sequence_length=6)
    tv.adapt(TEXTS)
    assert tv.get_vocabulary() == ref["tv_vocab"]
    np.testing.assert_array_equal(_np(tv(TEXTS)), ref["tv_int"])
    for mode in ("count", "tf_idf"):
        bag = L.TextVectorization(output_mode=mode, ngrams=2)
        bag.adapt(TEXTS)
        assert bag.get_vocabulary() == ref[mode + "_vocab"]
        np.testing.assert_allclose(_np(bag(TEXTS)), ref[mode], rtol=1e-5)


def test_hashing_and_lookups_match_keras(ref):
    L = keras.layers
    words = np.array(WORDS)
    np.testing.assert_array_equal(_np(L.Hashing(num_bins=1000)(words)), ref["hash"])
    np.testing.assert_array_equal(_np(L.Hashing(num_bins=9, mask_value="")(words)),
                                  ref["hash_mask"])
    np.testing.assert_array_equal(_np(L.Hashing(num_bins=1000, salt=[7, 11])(words)),
                                  ref["hash_salt"])
    np.testing.assert_array_equal(_np(L.Hashing(num_bins=50)(np.array([1, 22, 333]))),
                                  ref["hash_int"])
    sl = L.StringLookup(num_oov_indices=2)
    sl.adapt(words)
    assert sl.get_vocabulary() == ref["sl_vocab"]
    np.testing.assert_array_equal(_np(sl(np.array(WORDS + ["unseen", "other"]))), ref["sl"])
    il = L.IntegerLookup(num_oov_indices=2, output_mode="multi_hot")
    il.adapt(np.array([4, 4, 9, 1, 9, 9]))
    np.testing.assert_array_equal(_np(il(np.array([[4, 7], [9, 8]]))), ref["il"])


def test_numeric_layers_match_keras(ref):
    x = np.array(NUMBERS, "float32")
    nz = keras.layers.Normalization()
    nz.adapt(x)
    np.testing.assert_allclose(_np(nz(x)), ref["norm"], rtol=1e-5, atol=1e-6)
    dz = keras.layers.Discretization(num_bins=3)
    dz.adapt(x)
    np.testing.assert_allclose(dz.bin_boundaries, ref["disc_bounds"], rtol=1e-6)
