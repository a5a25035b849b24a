"""JAX models inside TensorFlow: ``kfront.layers.JaxLayer`` / ``FlaxLayer`` on the
TensorFlow backend initialize the model with JAX and run its function converted by
``jax2tf`` (differentiable, so ``fit`` and ``tf.GradientTape`` train its params)."""
import string

import tensorflow as tf

from kfront.backends.jax.interop import (  # noqa: F401 - the same pytree and init helpers
    init_key, is_array as _is_jax_array, jit, ones, run_eagerly, tree_map,
    tree_map_with_names,
)

__all__ = ["tree_map", "tree_map_with_names", "is_array", "prng_key", "init_key",
           "run_eagerly", "ones", "jit", "wrap_call"]


def is_array(value):
    return _is_jax_array(value) or isinstance(value, (tf.Tensor, tf.Variable))


def prng_key(seed):
    """A raw ``uint32[2]`` PRNG key (as a TF tensor) from a kfront seed state."""
    return tf.bitcast(tf.convert_to_tensor(seed, tf.int32), tf.uint32)


def check_not_tracing(layer_name):
    if tf.inside_function():
        raise ValueError(f"'{layer_name}' cannot be built inside a tf.function: call the "
                         "layer (or its model) once eagerly first.")


def _polymorphic(shape, letters):
    """jax2tf's shape spec of an input: a new letter for each unknown dimension."""
    if isinstance(shape, dict):
        return {k: _polymorphic(s, letters) for k, s in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and \
            all(isinstance(s, (list, tuple, dict)) for s in shape):
        return type(shape)(_polymorphic(s, letters) for s in shape)
    dims = [next(letters) if d is None else str(int(d)) for d in shape]
    return "(" + ", ".join(dims) + ")" if dims else "()"


def _letters():
    for n in range(1, 4):
        for i in range(0, len(string.ascii_lowercase) ** n):
            word, k = "", i
            for _ in range(n):
                word, k = string.ascii_lowercase[k % 26] + word, k // 26
            yield word


def wrap_call(call_fn, arguments, input_shape, platforms=None):
    """``run(args, training)``: ``call_fn`` converted by ``jax2tf`` (one conversion per
    value of ``training``, which jax2tf can only take as a fixed Python value)."""
    from jax.experimental import jax2tf
    shapes = [_polymorphic(input_shape, _letters()) if name == "inputs" else "..."
              for name in arguments if name != "training"]
    options = {"polymorphic_shapes": shapes}
    if platforms is not None:
        options["native_serialization_platforms"] = tuple(platforms)

    def convert(training):
        def fn(*args):
            if "training" in arguments:
                args = list(args)
                args.insert(arguments.index("training"), training)
            return call_fn(*args)
        return tf.autograph.experimental.do_not_convert(jax2tf.convert(fn, **options))

    by_training = {False: convert(False)}
    if "training" in arguments:
        by_training[True] = convert(True)

    def run(args, training):
        args = [a for a, name in zip(args, arguments) if name != "training"]
        return by_training[bool(training) and True in by_training](*args)
    return run
