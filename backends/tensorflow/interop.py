"""What ``kfront.layers.TFSMLayer`` needs from TensorFlow: loading a SavedModel, finding
an endpoint, and the variables its functions read."""
import os

import tensorflow as tf

__all__ = ["load_saved_model", "endpoint", "variables_used_by"]


def load_saved_model(filepath):
    filepath = os.fspath(filepath)
    if not os.path.isdir(filepath):
        raise ValueError(f"TFSMLayer: `filepath` must be the directory of a TensorFlow "
                         f"SavedModel; {filepath!r} is not a directory.")
    try:
        return tf.saved_model.load(filepath)
    except (OSError, ValueError, tf.errors.OpError) as e:
        raise ValueError(f"TFSMLayer: could not load a TensorFlow SavedModel from "
                         f"{filepath!r}: {e}") from None


def endpoint(saved, name, argument):
    """The function an endpoint name refers to: an attribute of the SavedModel, or one of
    its serving signatures."""
    if isinstance(name, str) and hasattr(saved, name):
        return getattr(saved, name)
    signatures = getattr(saved, "signatures", {})
    if name in signatures:
        return signatures[name]
    raise ValueError(f"The endpoint {name!r} is neither an attribute of the reloaded "
                     "SavedModel, nor an entry in the `signatures` field of the reloaded "
                     f"SavedModel. Select another endpoint via the `{argument}` argument. "
                     f"Available endpoints for this SavedModel: {list(signatures.keys())}")


def variables_used_by(fns):
    """``(trainable, non_trainable)``: the ``tf.Variable``s the functions read, each once."""
    trainable, non_trainable, seen = [], [], set()
    for fn in fns:
        if hasattr(fn, "concrete_functions"):
            concrete = fn.concrete_functions
        elif hasattr(fn, "get_concrete_function"):
            concrete = [fn.get_concrete_function()]
        else:
            concrete = [fn]
        for c in concrete:
            for v in c.trainable_variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    trainable.append(v)
        for c in concrete:
            for v in c.variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    non_trainable.append(v)
    return trainable, non_trainable
