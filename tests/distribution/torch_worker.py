"""One process of a torchrun job (or a single process without torchrun): trains a small
model with DataParallel on the same global batches and saves the weights from rank 0."""
import os
import sys

os.environ["KFRONT_BACKEND"] = "torch"
import numpy as np  # noqa: E402

import kfront as keras  # noqa: E402
from kfront import distribution as D  # noqa: E402

out_path = sys.argv[1]
if "RANK" in os.environ:
    D.initialize()
keras.utils.set_random_seed(0)
D.set_distribution(D.DataParallel())
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(4)])
model.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 8)).astype("float32")
y = rng.normal(size=(64, 4)).astype("float32")
history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
evaluation = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
predictions = model.predict(x[:10], verbose=0)
if D.api.process_id() == 0:
    np.savez(out_path, *model.get_weights(), loss=np.array(history.history["loss"]),
             mae=np.array(history.history["mae"]), eval_loss=evaluation["loss"],
             predictions=predictions, world=D.api.num_processes(),
             devices=np.array(D.list_devices()))
