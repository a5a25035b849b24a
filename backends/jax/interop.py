"""What ``kfront.layers.JaxLayer`` / ``FlaxLayer`` need from JAX: pytree traversal, PRNG
keys from kfront seeds, and running a model's ``init`` eagerly even when the layer is first
built while JAX traces."""
import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["tree_map", "tree_map_with_names", "is_array", "prng_key",
           "init_key", "run_eagerly", "ones", "jit", "wrap_call"]


def tree_map(fn, tree, *rest):
    """``fn`` over the leaves of a pytree (``None`` is an empty subtree, as in JAX)."""
    return jax.tree_util.tree_map(fn, tree, *rest)


def is_array(value):
    return isinstance(value, (jax.Array, np.ndarray, np.generic))


def prng_key(seed):
    """A raw ``uint32[2]`` PRNG key from a kfront seed state (an ``int32[2]`` tensor)."""
    return jax.lax.bitcast_convert_type(jnp.asarray(seed, dtype=jnp.int32), jnp.uint32)


def init_key(seed):
    """A raw PRNG key from an integer seed (for a model's ``init``)."""
    return jax.random.PRNGKey(int(seed))


def ones(shape):
    return jnp.ones(shape)


def jit(fn):
    return jax.jit(fn)


def run_eagerly(fn, *args):
    """``fn(*args)`` on concrete values, even inside a ``jax.jit`` or ``eval_shape`` trace."""
    with jax.ensure_compile_time_eval():
        return fn(*args)


def tree_map_with_names(fn, tree):
    """``fn(path, leaf)`` over a pytree's leaves; ``path`` is the list of keys (as strings)
    from the root to the leaf."""
    def names(path):
        out = []
        for key in path:
            for attr in ("key", "name", "idx"):
                if hasattr(key, attr):
                    out.append(str(getattr(key, attr)))
                    break
            else:
                out.append(str(key))
        return out
    return jax.tree_util.tree_map_with_path(lambda p, x: fn(names(p), x), tree)


def wrap_call(call_fn, arguments, input_shape, platforms=None):
    """``run(args, training)``: on JAX the model's function is called as it is."""
    def run(args, training):
        return call_fn(*args)
    return run
