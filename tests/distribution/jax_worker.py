"""Trains one small model on 4 virtual CPU devices under each distribution and prints the
numbers as JSON (run in its own process: XLA's device count is fixed at start)."""
import os
os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"
os.environ["KFRONT_BACKEND"] = "jax"
import json  # noqa: E402

import numpy as np  # noqa: E402

import kfront as keras  # noqa: E402
from kfront import distribution as D  # noqa: E402


def train(dist, batch_size=16, n=64):
    keras.utils.set_random_seed(0)
    D.set_distribution(dist)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(4)])
    model.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 8)).astype("float32")
    y = rng.normal(size=(n, 4)).astype("float32")
    history = model.fit(x, y, batch_size=batch_size, epochs=3, shuffle=False, verbose=0)
    shardings = [[str(getattr(v._storage.array.sharding, "spec", "single device")),
                  v._storage.array.sharding.is_fully_replicated,
                  len(v._storage.array.sharding.device_set)] for v in model.trainable_weights]
    D.set_distribution(None)
    return {"weights": [w.tolist() for w in model.get_weights()],
            "loss": history.history["loss"], "mae": history.history["mae"],
            "shardings": shardings}


def error_of(fn):
    try:
        fn()
    except ValueError as e:
        return str(e)
    return None


def late_distribution():
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])
    model.compile("sgd", "mse")
    D.set_distribution(D.DataParallel())
    try:
        model.fit(np.zeros((8, 8), "float32"), np.zeros((8, 4), "float32"), verbose=0)
    finally:
        D.set_distribution(None)


def unknown_layout():
    layout_map = D.LayoutMap(D.DeviceMesh((2, 2), ["batch", "model"]))
    layout_map["encoder/kernel"] = (None, "model")
    train(D.ModelParallel(layout_map=layout_map))


layout_map = D.LayoutMap(D.DeviceMesh((2, 2), ["batch", "model"]))
layout_map[".*dense.*kernel"] = (None, "model")
out = {
    "devices": D.list_devices(),
    "single": train(None),
    "data_parallel": train(D.DataParallel()),
    "model_parallel": train(D.ModelParallel(layout_map=layout_map)),
    "errors": {
        "batch": error_of(lambda: train(D.DataParallel(), batch_size=6, n=12)),
        "mesh": error_of(lambda: D.DeviceMesh((3, 2), ["batch", "model"])),
        "late": error_of(late_distribution),
        "layout": error_of(unknown_layout),
    },
}
print(json.dumps(out))
