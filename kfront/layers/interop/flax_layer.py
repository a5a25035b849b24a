"""``FlaxLayer``: a Flax Linen module as a kfront layer (a ``JaxLayer`` over the module's
``init`` and ``apply``)."""
import inspect

from kfront.layers.interop.jax_layer import JaxLayer, jax_tools


def _linen():
    try:
        from flax import linen
    except ImportError:
        raise ImportError('FlaxLayer requires the flax package: pip install "kfront[flax]"'
                          ) from None
    return linen


class FlaxLayer(JaxLayer):
    """Wraps a ``flax.linen.Module``.

    The collection ``"params"`` becomes the layer's trainable variables; every other
    collection (``"batch_stats"``...) its non-trainable variables, updated by ``apply``
    (``mutable`` is everything but ``"params"``). In training the module gets a
    ``"dropout"`` PRNG key.

    Args:
        module: a ``flax.linen.Module`` instance.
        method: the method to run, ``__call__`` by default: a method of the module taking
            ``inputs`` (and optionally ``training``), or a function taking
            ``(module, inputs[, training])``.
        variables: the module's variables as ``module.init`` returns them (a dict with a
            ``"params"`` key); by default ``module.init`` runs at build time.

    >>> class MLP(flax.linen.Module):
    ...     @flax.linen.compact
    ...     def __call__(self, inputs):
    ...         return flax.linen.Dense(2)(flax.linen.relu(flax.linen.Dense(8)(inputs)))
    >>> layer = kfront.layers.FlaxLayer(MLP())
    """

    def __init__(self, module, method=None, variables=None, **kwargs):
        jax_tools(type(self).__name__)
        linen = _linen()
        if not isinstance(module, linen.Module):
            raise ValueError("`module` must be a flax.linen.Module instance (Flax NNX "
                             "modules are not supported, as in Keras), received "
                             f"an instance of {type(module).__name__}.")
        for key in ("call_fn", "init_fn", "params", "state"):
            if key in kwargs:
                raise ValueError(f"FlaxLayer takes no `{key}` argument: it is derived from "
                                 "`module` (pass initial values as `variables`).")
        self.module = module
        self.method = method
        mutable = linen.DenyList(["params"])
        takes_training = "training" in inspect.signature(
            method or module.__call__).parameters

        def call_fn(params, state, rng, inputs, training):
            extra = {"training": training} if takes_training else {}
            return self.module.apply(_merge(params, state), inputs, rngs=rng,
                                     method=self.method, mutable=mutable, **extra)

        def init_fn(rng, inputs, training):
            extra = {"training": training} if takes_training else {}

            def init(rng, inputs):
                return self.module.init(rng, inputs, method=self.method, **extra)
            # One compiled computation instead of one per op of the module's init.
            return _split(self._jax.jit(init)(rng, inputs))

        if variables is not None and not isinstance(variables, dict) and \
                not hasattr(variables, "keys"):
            raise ValueError("`variables` must be a dict of collections as returned by "
                             f"`module.init`, received {type(variables).__name__}.")
        params, state = _split(variables) if variables is not None else (None, None)
        super().__init__(call_fn=call_fn, init_fn=init_fn, params=params, state=state,
                         **kwargs)

    def _get_init_rng(self):
        return {"params": super()._get_init_rng(), "dropout": super()._get_init_rng()}

    def _get_call_rng(self, training):
        return {"dropout": self.seed_generator.next()} if training else {}

    def get_config(self):
        config = super().get_config()
        del config["call_fn"], config["init_fn"]
        method = self.method
        if getattr(method, "__self__", None) is self.module:
            method = method.__name__
        config.update(module=self.module, method=method)
        return config

    @classmethod
    def from_config(cls, config):
        from kfront.saving.serialization import deserialize_function
        config = dict(config)
        module = config["module"]
        if isinstance(module, dict):
            raise ValueError(f"Unknown Flax module {module.get('class_name')!r}: register its "
                             "class with @kfront.saving.register_keras_serializable() (with "
                             "get_config/from_config) or pass it in custom_objects=.")
        method = config.get("method")
        if isinstance(method, str):
            method = getattr(module, method)
        elif isinstance(method, dict):
            method = deserialize_function(method)
        config.update(module=module, method=method)
        return cls(**config)


def _merge(params, state):
    return {**(params or {}), **(state or {})}


def _split(variables):
    """``(params, state)``: the ``"params"`` collection, and every other one."""
    variables = dict(variables)
    params = {"params": variables.pop("params")} if "params" in variables else {}
    return params, variables
