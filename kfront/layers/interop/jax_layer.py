"""``JaxLayer``: a JAX model (a ``call_fn`` and its ``init_fn``) as a kfront layer.

The model's params and state pytrees become kfront variables (trainable and
non-trainable), so ``fit`` trains them, they are saved in kfront files, and the layer
runs inside kfront's compiled, stateless JAX steps like any other. On TensorFlow, as in
Keras, the function runs converted by ``jax2tf``; other backends refuse the layer.
"""
import inspect

import numpy as np

from kfront.backend.loader import adapter
from kfront.backend.variable import Variable
from kfront.layers.layer import Layer
from kfront.random.global_state import draw_seed
from kfront.random.seed_generator import SeedGenerator
from kfront.utils import tree

_CALL_ARGUMENTS = ("params", "state", "rng", "inputs", "training")
_INIT_ARGUMENTS = ("rng", "inputs", "training")


def jax_tools(layer_name):
    """The adapter's helpers for running JAX models (JAX, or TensorFlow through jax2tf);
    a clear error on any other backend."""
    name = adapter().name
    if name == "jax":
        from kfront.backends.jax import interop
        return interop
    if name == "tensorflow":
        from kfront.backends.tensorflow import jax_interop
        return jax_interop
    raise ValueError(f"{layer_name} is only supported with the JAX or TensorFlow backend. "
                     f"Current backend: {name}. Set KFRONT_BACKEND=jax (or tensorflow).")


def _arguments(fn, fn_name, allowed, required):
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        raise ValueError(f"`{fn_name}` must be a Python function whose arguments can be "
                         f"inspected, received {fn!r}.") from None
    if required not in parameters:
        raise ValueError(f"Missing required argument in `{fn_name}`: `{required}`")
    for name in parameters:
        if name not in allowed:
            raise ValueError(f"Unsupported argument in `{fn_name}`: `{name}`, supported "
                             f"arguments are `{'`, `'.join(allowed)}`")
    return list(parameters)


class JaxLayer(Layer):
    """Wraps a JAX model given as functions.

    ``call_fn`` takes, with these exact names, ``params`` (trainable parameters),
    ``state`` (optional, non-trainable state), ``rng`` (optional, a PRNG key in training,
    ``None`` in inference), ``inputs`` (required) and ``training`` (optional). With
    ``state`` it returns ``(outputs, new_state)``, otherwise the outputs.
    ``init_fn(rng, inputs, training)`` (``rng`` and ``training`` optional) returns the
    initial params, or ``(params, state)`` when ``call_fn`` takes ``state``; it is called
    at build time with ones of the input shape.

    Args:
        call_fn: the model's forward function (above).
        init_fn: the function that initializes params (and state); needed unless
            ``params`` / ``state`` are given.
        params: a pytree of initial trainable parameters.
        state: a pytree of initial non-trainable state.
        seed: the seed of the ``rng`` passed to ``call_fn`` in training.
        native_serialization_platforms: TensorFlow backend only: the platforms
            (``"cpu"``, ``"cuda"``, ``"rocm"``, ``"tpu"``) jax2tf compiles the model for.

    >>> def call_fn(params, inputs):
    ...     return inputs @ params["w"] + params["b"]
    >>> def init_fn(rng, inputs):
    ...     return {"w": jax.random.normal(rng, (inputs.shape[-1], 2)), "b": jnp.zeros(2)}
    >>> layer = kfront.layers.JaxLayer(call_fn, init_fn)
    """

    def __init__(self, call_fn, init_fn=None, params=None, state=None, seed=None,
                 native_serialization_platforms=None, **kwargs):
        jax_tools(type(self).__name__)
        if native_serialization_platforms is not None and adapter().name != "tensorflow":
            raise ValueError(f"{type(self).__name__}(native_serialization_platforms=...) only "
                             "applies to the TensorFlow backend (the platforms jax2tf "
                             "compiles the model for). Leave it as None on "
                             f"{adapter().name}.")
        if not callable(call_fn):
            raise ValueError(f"`call_fn` must be a function, received {call_fn!r}.")
        if init_fn is not None and not callable(init_fn):
            raise ValueError(f"`init_fn` must be a function or None, received {init_fn!r}.")
        super().__init__(**kwargs)
        self.call_fn = call_fn
        self.init_fn = init_fn
        self._seed = seed
        self.native_serialization_platforms = native_serialization_platforms
        # The model's function as the backend runs it (made at build time or first call).
        object.__setattr__(self, "_model_fn", None)
        object.__setattr__(self, "_call_input_shape", None)
        self.call_fn_arguments = _arguments(call_fn, "call_fn", _CALL_ARGUMENTS, "inputs")
        self.call_fn_has_params = "params" in self.call_fn_arguments
        self.call_fn_has_state = "state" in self.call_fn_arguments
        if init_fn is None and params is None and state is None and (
                self.call_fn_has_params or self.call_fn_has_state):
            raise ValueError("`init_fn`, `params` and `state` cannot all be `None` when "
                             "`call_fn` takes a `params` or a `state` argument.")
        self.init_fn_arguments = None if init_fn is None else \
            _arguments(init_fn, "init_fn", _INIT_ARGUMENTS, "inputs")
        self.seed_generator = SeedGenerator(seed) if "rng" in self.call_fn_arguments \
            else None
        # The pytrees are kept as given (with variables at their leaves), outside the
        # layer's attribute tracking: ``add_weight`` already tracks each variable.
        object.__setattr__(self, "params", None)
        object.__setattr__(self, "state", None)
        if params is not None or state is not None:
            self._create_variables(params, trainable=True)
            self._create_variables(state, trainable=False)
            self.built = True

    @property
    def _jax(self):
        return jax_tools(type(self).__name__)

    def _create_variables(self, values, trainable):
        """Replaces each array leaf of ``values`` by a variable of the layer (other leaves,
        configuration of the model, stay as they are)."""
        def create(path, value):
            if self._jax.is_array(value) or isinstance(value, (bool, int, float)):
                array = np.asarray(value)
                dtype = None if array.dtype.kind == "f" else array.dtype.name
                return self.add_weight(
                    shape=array.shape, dtype=dtype, trainable=trainable,
                    initializer=lambda shape, dtype=None: array.astype(dtype),
                    name="/".join(path) or ("params" if trainable else "state"))
            return value
        tree = self._jax.run_eagerly(self._jax.tree_map_with_names, create, values)
        object.__setattr__(self, "params" if trainable else "state", tree)

    def build(self, input_shape):
        object.__setattr__(self, "_call_input_shape", input_shape)
        if self.params is None and self.state is None and (
                self.call_fn_has_params or self.call_fn_has_state):
            self._initialize(input_shape)
        self.built = True

    def _initialize(self, input_shape):
        jx = self._jax
        if hasattr(jx, "check_not_tracing"):
            jx.check_not_tracing(type(self).__name__)

        def ones(shape):
            return jx.ones([1 if d is None else d for d in shape])

        inputs = _map_shapes(ones, input_shape)
        args = []
        for name in self.init_fn_arguments:
            if name == "rng":
                args.append(jx.tree_map(jx.init_key, self._get_init_rng()))
            elif name == "inputs":
                args.append(inputs)
            else:
                args.append(True)
        result = jx.run_eagerly(self.init_fn, *args)
        if self.call_fn_has_state:
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise ValueError("`init_fn` must return `(params, state)` when `call_fn` "
                                 f"takes a `state` argument, received {type(result).__name__}.")
            params, state = result
        else:
            params, state = result, None
        self._create_variables(params, trainable=True)
        self._create_variables(state, trainable=False)

    def _get_init_rng(self):
        """The seed(s) of ``init_fn``'s ``rng`` (integers; FlaxLayer returns a dict)."""
        return draw_seed()

    def _get_call_rng(self, training):
        """The seed state(s) of ``call_fn``'s ``rng``: a new one in training, else None."""
        return self.seed_generator.next() if training else None

    def call(self, inputs, training=False):
        jx = self._jax

        def value(v):
            return v.value if isinstance(v, Variable) else v

        args = []
        for name in self.call_fn_arguments:
            if name == "params":
                args.append(jx.tree_map(value, self.params))
            elif name == "state":
                args.append(jx.tree_map(value, self.state))
            elif name == "rng":
                args.append(jx.tree_map(jx.prng_key, self._get_call_rng(training)))
            elif name == "inputs":
                args.append(inputs)
            else:
                args.append(training)
        if self._model_fn is None:
            shape = self._call_input_shape
            if shape is None:  # built from given params: the batch size stays free
                shape = tree.map_structure(lambda x: (None,) + tuple(x.shape)[1:], inputs)
            object.__setattr__(self, "_model_fn", jx.wrap_call(
                self.call_fn, self.call_fn_arguments, shape,
                self.native_serialization_platforms))
        if not self.call_fn_has_state:
            return self._model_fn(args, training)
        outputs, new_state = self._model_fn(args, training)
        self._assign_state(new_state)
        return outputs

    def _assign_state(self, new_state):
        def assign(value, variable):
            if not isinstance(variable, Variable):
                raise ValueError("Structure mismatch: the structure of the state returned by "
                                 "`call` does not match the structure of the state at "
                                 "initialization time.")
            variable.assign(value)
        try:
            self._jax.tree_map(assign, new_state, self.state)
        except (TypeError, ValueError) as e:
            if "Structure mismatch" in str(e):
                raise
            raise ValueError("Structure mismatch: the structure of the state returned by "
                             "`call` does not match the structure of the state at "
                             f"initialization time ({e}).") from None

    def get_config(self):
        config = super().get_config()
        config.update(call_fn=self.call_fn, init_fn=self.init_fn)
        if self.native_serialization_platforms is not None:
            config["native_serialization_platforms"] = list(self.native_serialization_platforms)
        if self._seed is not None:
            config["seed"] = self._seed
        return config

    @classmethod
    def from_config(cls, config):
        from kfront.saving.serialization import deserialize_function
        config = dict(config)
        for key in ("call_fn", "init_fn"):
            if config.get(key) is not None and not callable(config[key]):
                config[key] = deserialize_function(config[key])
        return cls(**config)


def _map_shapes(fn, shape):
    """``fn`` over each shape in a (nested) structure of shapes."""
    if isinstance(shape, dict):
        return {k: _map_shapes(fn, s) for k, s in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and \
            all(isinstance(s, (list, tuple, dict)) for s in shape):
        return type(shape)(_map_shapes(fn, s) for s in shape)
    return fn(tuple(shape))
