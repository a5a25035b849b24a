"""Rebuilding a Functional graph is linear in its size whatever order the file lists the
layers in, and a deep graph is no RecursionError."""
import json
import time

import numpy as np
import pytest

import kfront as keras


def _chain(n):
    inputs = keras.Input((2,), name="in")
    x = inputs
    for i in range(n):
        x = keras.layers.Identity(name=f"l{i}")(x)
    return keras.Model(inputs, x)


def test_reversed_layer_list_costs_what_the_forward_one_does():
    n = 3000                                # a Python recursion limit of 1000 is far below
    config = json.loads(_chain(n).to_json())
    forward = json.dumps(config)
    layers = config["config"]["layers"]
    config["config"]["layers"] = layers[:1] + layers[1:][::-1]
    backward = json.dumps(config)

    def timed(text):
        start = time.perf_counter()
        model = keras.models.model_from_json(text)
        return time.perf_counter() - start, model

    t_forward, _ = timed(forward)
    t_backward, model = timed(backward)
    # A quadratic rebuild takes n/2 passes over the list here: hundreds of times longer.
    assert t_backward < 3 * t_forward + 2.0, (t_forward, t_backward)
    assert len(model.layers) == n + 1
    x = np.arange(6, dtype="float32").reshape(3, 2)
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)


def test_unreachable_and_cyclic_nodes_are_clean_errors():
    config = json.loads(_chain(3).to_json())
    layers = config["config"]["layers"]
    # l1 now reads l2's output and l2 reads l1's: a cycle no order can rebuild.
    layers[2]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["l2", 0, 0]
    layers[3]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["l1", 0, 0]
    with pytest.raises(ValueError, match=r"cannot be rebuilt \(a layer input is missing\)"):
        keras.models.model_from_json(json.dumps(config))
