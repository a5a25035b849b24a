"""Keras 3 (the installed ``keras`` package) on the engine named by KERAS_BACKEND."""
import keras

import frontend
import workloads as W


def run(name, steps, engine):
    if name == "predict":
        return frontend.predict(keras, name, steps)
    x, y = W.make_data(name, steps)
    bs = W.batch_size(name)
    if name == "dataloader":
        loader = frontend.native_loader(engine, x, y, bs)
        if engine == "jax":
            feed = frontend.generator_feed(loader)
        else:
            # Keras 3 fit takes a torch DataLoader or a tf.data.Dataset as is.
            feed = lambda n: ((loader,), {"steps_per_epoch": n})  # noqa: E731
    else:
        feed = frontend.array_feed(x, y, bs)
    return frontend.run(keras, name, steps, feed)
