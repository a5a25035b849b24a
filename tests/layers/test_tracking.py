"""Sublayers and variables are found in attributes, lists (appended later too) and dicts."""
import numpy as np

import kfront as keras
from kfront import layers

X = np.ones((2, 3), "float32")


class Appended(layers.Layer):
    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.blocks = []
        for i in range(n):
            self.blocks.append(layers.Dense(3, name=f"block{i}"))

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return x


class Heads(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.heads = {"a": layers.Dense(1, name="head_a"), "b": layers.Dense(2, name="head_b")}
        self.pairs = [(layers.Dense(2, name="p0"), layers.Dense(2, name="p1"))]
        self.sizes = [1, 2, 3]

    def call(self, x):
        return {k: head(x) for k, head in self.heads.items()}


def paths(layer):
    return [v.path for v in layer.weights]


def test_layers_appended_after_assignment_are_tracked():
    layer = Appended(2)
    layer(X)
    assert paths(layer) == ["block0/kernel", "block0/bias", "block1/kernel", "block1/bias"]
    assert layer.count_params() == 2 * (3 * 3 + 3)


def test_dict_values_and_nested_tuples_are_tracked():
    layer = Heads()
    layer(X)
    for pair_layer in layer.pairs[0]:
        pair_layer(X)
    assert paths(layer) == ["head_a/kernel", "head_a/bias", "head_b/kernel", "head_b/bias",
                            "p0/kernel", "p0/bias", "p1/kernel", "p1/bias"]


def test_reassigned_list_drops_old_layers():
    layer = Appended(2)
    layer.blocks = [layers.Dense(3, name="fresh")]
    layer(X)
    assert paths(layer) == ["fresh/kernel", "fresh/bias"]


def test_subclassed_model_with_appended_layers_trains_all_weights():
    class Stack(keras.Model):
        def __init__(self):
            super().__init__()
            self.body = []
            self.body.append(layers.Dense(4))
            self.body.append(layers.Dense(1))

        def call(self, x):
            for layer in self.body:
                x = layer(x)
            return x

    model = Stack()
    model.compile(optimizer="sgd", loss="mse")
    model(X)
    assert len(model.trainable_weights) == 4
    before = model.get_weights()
    model.train_on_batch(X, np.ones((2, 1), "float32"))
    changed = [not np.array_equal(a, b) for a, b in zip(before, model.get_weights())]
    assert changed == [True, True, True, True]


def test_trainable_false_reaches_layers_in_containers():
    layer = Heads()
    layer(X)
    layer.trainable = False
    assert layer.trainable_weights == []
    assert not layer.heads["b"].trainable


def test_freezing_a_sublayer_holds_when_the_parent_also_holds_its_variables():
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,)), keras.layers.Dense(1)])
    model.cache = list(model.trainable_variables)
    model.layers[0].trainable = False
    frozen = model.layers[0]
    assert not any(v is w for v in model.trainable_variables for w in frozen.weights)
    assert len(model.trainable_variables) == 2
    assert len(model.non_trainable_variables) == 2
    assert len(model.weights) == 4
