"""A model's weights in each engine's own format."""
import numpy as np


def _paths(model):
    """``{unique path: variable}`` for every weight, paths like ``"dense_1/kernel"``."""
    out = {}
    for var in model.weights:
        path = var.path.replace("/", ".")
        key, n = path, 1
        while key in out:
            key, n = f"{path}_{n}", n + 1
        out[key] = var
    return out


def to_numpy_dict(model):
    """``{"dense.kernel": np.ndarray, ...}``."""
    return {k: np.asarray(v.numpy()) for k, v in _paths(model).items()}


def to_torch_state_dict(model):
    """A mapping ``torch.nn.Module.load_state_dict`` accepts: names to ``torch.Tensor``s."""
    import torch
    from collections import OrderedDict
    return OrderedDict((k, torch.from_numpy(np.ascontiguousarray(v)))
                       for k, v in to_numpy_dict(model).items())


def to_jax_dict(model):
    """A flat ``{name: jax.Array}`` dict."""
    import jax.numpy as jnp
    return {k: jnp.asarray(v) for k, v in to_numpy_dict(model).items()}


def save_tf_checkpoint(model, prefix):
    """Writes the weights as TensorFlow checkpoint variables (``tf.train.Checkpoint``);
    returns the checkpoint path. Read them back with ``tf.train.load_checkpoint``."""
    import tensorflow as tf
    variables = {k.replace(".", "/"): tf.Variable(v, name=k)
                 for k, v in to_numpy_dict(model).items()}
    checkpoint = tf.train.Checkpoint(**{_ckpt_name(k): v for k, v in variables.items()})
    return checkpoint.write(prefix)


def _ckpt_name(path):
    return "".join(c if c.isalnum() or c == "_" else "_" for c in path)
