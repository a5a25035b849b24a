"""Functional models list their layers in Keras's order (by depth from the outputs, ties by
first visit), which weight files key layers by: a branching graph's weights saved by Keras
load by position."""
import numpy as np
import pytest

import kfront


def _branching(layers):
    inputs = layers.Input((6,))
    # The shallow branch comes first in the output's inputs: a plain walk from the
    # outputs would list it before the deep one.
    skip = layers.Dense(2, name="skip")(inputs)
    deep = layers.Dense(4, name="deep_a")(inputs)
    deep = layers.Dense(4, name="deep_b")(deep)
    deep = layers.Dense(2, name="deep_c")(deep)
    return inputs, layers.concatenate([skip, deep], name="out")


def test_layer_order_matches_keras(tmp_path):
    keras = pytest.importorskip("keras")
    theirs = keras.Model(*_branching(keras.layers))
    ours = kfront.Model(*_branching(kfront.layers))
    # (The Input's auto-generated name depends on how many Inputs each process made.)
    assert [layer.name for layer in ours.layers][1:] == \
        [layer.name for layer in theirs.layers][1:]
    # The orders differ from plain definition order, and Keras's file loads by position.
    assert [layer.name for layer in ours.layers][1:4] == ["deep_a", "deep_b", "skip"]
    path = str(tmp_path / "w.weights.h5")
    theirs.save_weights(path)
    ours.load_weights(path)
    x = np.random.RandomState(0).normal(size=(3, 6)).astype("float32")
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
