"""Run in one process per backend by test_cross_backend.py: writes weights and numbers to npz.

    KFRONT_BACKEND=jax python tests/parity/worker.py OUT.npz
"""
import sys

import numpy as np

import kfront as keras
from kfront import layers, ops


def build_models():
    keras.utils.set_random_seed(123)
    mlp = keras.Sequential([layers.Dense(16, activation="relu", input_shape=(6,)),
                            layers.Dense(3, activation="softmax")], name="mlp")
    a = keras.Input(shape=(6,), name="a")
    b = keras.Input(shape=(4,), name="b")
    h = layers.concatenate([layers.Dense(8, activation="tanh")(a), layers.Dense(8)(b)])
    functional = keras.Model([a, b], layers.Dense(2)(h), name="two_inputs")

    class Sub(keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.hidden = layers.Dense(8, activation="gelu", kernel_initializer="he_normal")
            self.out = layers.Dense(1, kernel_initializer="lecun_uniform")

        def call(self, x):
            return self.out(self.hidden(x))

    sub = Sub()
    sub(np.zeros((1, 6), "float32"))
    emb = keras.Sequential([keras.Input(shape=(5,), dtype="int32"), layers.Embedding(20, 4),
                            layers.Flatten(), layers.Dense(2)], name="emb")
    return {"mlp": mlp, "two_inputs": functional, "sub": sub, "emb": emb}


def main(path):
    rng = np.random.default_rng(7)
    x6 = rng.normal(size=(5, 6)).astype("float32")
    x4 = rng.normal(size=(5, 4)).astype("float32")
    ids = rng.integers(0, 20, size=(5, 5)).astype("int32")
    inputs = {"mlp": x6, "two_inputs": [x6, x4], "sub": x6, "emb": ids}
    out = {}
    for name, model in build_models().items():
        for i, w in enumerate(model.get_weights()):
            out[f"{name}/init/{i}"] = w
        x = inputs[name]
        y_pred = model(x)
        out[f"{name}/forward"] = ops.convert_to_numpy(y_pred)
        target = np.ones_like(out[f"{name}/forward"])
        loss_fn = keras.losses.MeanSquaredError()
        loss, grads = keras.backend.value_and_grad(lambda: loss_fn(target, model(x)),
                                                   model.trainable_variables)
        out[f"{name}/loss"] = ops.convert_to_numpy(loss)
        for i, g in enumerate(grads):
            out[f"{name}/grad/{i}"] = ops.convert_to_numpy(g)
        optimizer = keras.optimizers.Adam(learning_rate=0.01)
        optimizer.apply(grads, model.trainable_variables)
        for i, w in enumerate(model.get_weights()):
            out[f"{name}/after_adam/{i}"] = w
    np.savez(path, **out)


if __name__ == "__main__":
    main(sys.argv[1])
