"""kfront on the engine named by KFRONT_BACKEND, timed through its own ``fit``."""
import kfront

import frontend
import workloads as W


def run(name, steps, engine, **compile_options):
    """``compile_options`` go to ``model.compile`` (kfront_compiled_impl passes
    ``jit_compile=True``)."""
    if name == "predict":
        return frontend.predict(kfront, name, steps)
    x, y = W.make_data(name, steps)
    bs = W.batch_size(name)
    if name == "dataloader":
        loader = frontend.native_loader(engine, x, y, bs)
        if engine == "jax":
            # JAX has no loader of its own: the NumPy batches come through a generator.
            feed = frontend.generator_feed(loader)
        else:
            # fit takes the DataLoader / tf.data.Dataset itself, as the native loop does.
            def feed(n):
                return (loader,), {"steps_per_epoch": n}
    else:
        feed = frontend.array_feed(x, y, bs)
    return frontend.run(kfront, name, steps, feed, **compile_options)
