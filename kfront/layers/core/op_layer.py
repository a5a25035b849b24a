"""A ``kfront.ops`` call on symbolic tensors becomes an ``OpLayer`` node of the graph."""
from kfront.backend.loader import adapter
from kfront.layers.layer import Layer
from kfront.layers.node import Node
from kfront.utils.naming import unique_name


class OpLayer(Layer):
    """Replays one op (``ops.add``, ``x[:, 0]``, ...) with the recorded non-tensor arguments."""

    def __init__(self, op_name, op, **kwargs):
        # Each op node gets its own name ("add", "add_1", ...), as layer names in a model must
        # be unique.
        super().__init__(name=kwargs.pop("name", None) or unique_name(op_name), **kwargs)
        self.op_name = op_name
        self.op = op
        self.built = True

    def call(self, *args, **kwargs):
        return self.op(*args, **kwargs)

    def get_config(self):
        return {**super().get_config(), "op_name": self.op_name}


def symbolic_op_call(name, op, args, kwargs):
    layer = OpLayer(name, op)
    outputs = adapter().compute_output_spec(op, *args, **kwargs)
    Node(layer, args, kwargs, outputs)
    return outputs
