"""Times a Keras-API model (kfront or Keras 3) through its own ``fit``.

Step time: one train step inside ``fit``, from ``on_train_batch_begin`` to
``on_train_batch_end`` with the loss read as a float there (a device sync). Epoch time: a
whole ``fit`` epoch with no per-step hooks, divided by its steps. First step and first
epoch: from building the model to the end of the first step (the loss read as a float) and to
the end of the first ``fit`` epoch (build + trace/compile + the epoch).
"""
import keras_models
import workloads as W
from measure import now, time_inference
from turns import maybe_turn, take_turn


def native_loader(engine, x, y, bs):
    """The engine's own data pipeline over (x, y): a torch DataLoader, a tf.data.Dataset, or
    (JAX has none) the list of NumPy batches."""
    if engine == "torch":
        import torch
        ds = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
        return torch.utils.data.DataLoader(ds, batch_size=bs, shuffle=False)
    if engine == "tensorflow":
        import tensorflow as tf
        return tf.data.Dataset.from_tensor_slices((x, y)).batch(bs)
    return W.numpy_batches(x, y, bs)


def _step_timer(keras):
    class StepTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.times = []
            self._t = None

        def on_train_batch_begin(self, batch, logs=None):
            maybe_turn()
            self._t = now()

        def on_train_batch_end(self, batch, logs=None):
            float(logs["loss"])
            self.times.append(now() - self._t)

    return StepTimer()


def _first_step_clock(keras, t0):
    """A callback noting the time from ``t0`` to the end of the first step (loss read)."""
    class FirstStep(keras.callbacks.Callback):
        seconds = None

        def on_train_batch_end(self, batch, logs=None):
            if self.seconds is None:
                float(logs["loss"])
                self.seconds = now() - t0

    return FirstStep()


def run(keras, name, steps, feed, **compile_options):
    """``feed(n)`` returns ``(fit positional args, fit keyword args)`` for ``n`` batches."""
    if hasattr(keras.utils, "set_random_seed"):
        keras.utils.set_random_seed(W.SEED)
    t0 = now()
    model = keras_models.build(keras, name)
    keras_models.compile_model(keras, model, **compile_options)
    clock = _first_step_clock(keras, t0)
    args, kwargs = feed(steps)
    model.fit(*args, epochs=1, verbose=0, callbacks=[clock], **kwargs)
    first_epoch = now() - t0
    first = clock.seconds

    timer = _step_timer(keras)
    args, kwargs = feed(steps)
    take_turn()
    model.fit(*args, epochs=1, verbose=0, callbacks=[timer], **kwargs)

    args, kwargs = feed(steps)
    take_turn()
    t = now()
    hist = model.fit(*args, epochs=1, verbose=0, **kwargs)
    epoch = (now() - t) / steps
    return {"first_s": first, "first_epoch_s": first_epoch, "step_s": timer.times,
            "epoch_step_s": epoch,
            "loss": float(hist.history["loss"][-1]),
            "jit_compile": getattr(model, "jit_compile", None)}


def predict(keras, name, steps):
    """``model.predict(x, verbose=0)`` on one sample at a time (Keras's inference call)."""
    def make_predict():
        if hasattr(keras.utils, "set_random_seed"):
            keras.utils.set_random_seed(W.SEED)
        model = keras_models.build(keras, name)
        return lambda xb: model.predict(xb, verbose=0)

    return time_inference(make_predict, W.samples(name, steps))


def array_feed(x, y, bs):
    return lambda n: ((x[:n * bs], y[:n * bs]), {"batch_size": bs, "shuffle": False})


def generator_feed(batches):
    """A fresh Python generator over the first ``n`` of ``batches`` for each fit call."""
    def feed(n):
        def gen():
            for i, b in enumerate(batches):
                if i == n:
                    return
                yield b
        return (gen(),), {"steps_per_epoch": n}
    return feed
