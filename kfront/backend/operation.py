"""``Operation``: a named computation that runs on tensors and, on symbolic tensors,
records itself in the graph (the base Keras gives its ops and layers)."""
from kfront.backend.keras_tensor import KerasTensor
from kfront.utils import tree
from kfront.utils.naming import to_snake_case, unique_name


class Operation:
    """Subclass it and write ``call`` (and ``compute_output_spec`` where tracing ``call``
    is not wanted). Called on tensors it runs ``call``; called on symbolic tensors
    (``kfront.Input``) it returns symbolic outputs and records a node, so a
    ``kfront.Function`` built over it runs it.

    >>> class Double(kfront.Operation):
    ...     def call(self, x):
    ...         return x * 2
    >>> inp = kfront.Input((3,))
    >>> f = kfront.Function(inp, Double()(inp))
    """

    def __init__(self, name=None):
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError("Argument `name` must be a string and cannot contain character "
                             f"`/`. Received: name={name!r} (of type {type(name).__name__})")
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._inbound_nodes = []

    def __call__(self, *args, **kwargs):
        if any(isinstance(x, KerasTensor) for x in tree.flatten((args, kwargs))):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement `call()`.")

    def compute_output_spec(self, *args, **kwargs):
        """The symbolic outputs for symbolic inputs (by default: ``call`` traced on the
        engine's shape inference)."""
        from kfront.backend.loader import adapter
        return adapter().compute_output_spec(self.call, *args, **kwargs)

    def symbolic_call(self, *args, **kwargs):
        """Symbolic outputs, recorded as a node of the graph."""
        from kfront.layers.node import Node
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, args, kwargs, outputs)
        return outputs

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
