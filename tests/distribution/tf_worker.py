"""Trains one small model on two logical CPU devices under tf.distribute, three ways (one
device, kfront's DataParallel, a user's own MirroredStrategy scope), printing JSON."""
import json
import os
import sys

os.environ["KFRONT_BACKEND"] = "tensorflow"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])

import numpy as np  # noqa: E402

import kfront as keras  # noqa: E402
from kfront import distribution as D  # noqa: E402


def build():
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(4)])
    model.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    return model


def train(mode, batch_size=16, n=64):
    keras.utils.set_random_seed(0)
    if mode == "user_scope":
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        with strategy.scope():
            model = build()
    else:
        D.set_distribution(D.DataParallel() if mode == "data_parallel" else None)
        model = build()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 8)).astype("float32")
    y = rng.normal(size=(n, 4)).astype("float32")
    history = model.fit(x, y, batch_size=batch_size, epochs=3, shuffle=False, verbose=0)
    evaluation = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    kernel = model.trainable_weights[0]._storage
    D.set_distribution(None)
    return {"weights": [w.tolist() for w in model.get_weights()],
            "loss": history.history["loss"], "mae": history.history["mae"],
            "eval_loss": evaluation["loss"],
            "distributed": type(kernel).__name__,
            "replicas": getattr(getattr(kernel, "_distribute_strategy", None),
                                "num_replicas_in_sync", 1)}


def error_of(fn):
    try:
        fn()
    except ValueError as e:
        return str(e)
    return None


out = {"devices": D.list_devices(), "single": train("single"),
       "data_parallel": train("data_parallel"), "user_scope": train("user_scope"),
       "errors": {"batch": error_of(lambda: train("data_parallel", batch_size=5, n=10))}}
print(json.dumps(out))
sys.stdout.flush()
