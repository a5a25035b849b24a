"""``Node``: one call of a layer on symbolic tensors, an edge set of the Functional graph."""
from kfront.backend.keras_tensor import KerasTensor
from kfront.utils import tree


class Node:
    def __init__(self, layer, call_args=(), call_kwargs=None, outputs=()):
        self.layer = layer
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.input_tensors = [
            x for x in tree.flatten((self.call_args, self.call_kwargs)) if isinstance(x, KerasTensor)
        ]
        self.outputs = [x for x in tree.flatten(outputs) if isinstance(x, KerasTensor)]
        # The one tensor argument of a call ``layer(x, **non-tensor options)``, the usual
        # node: a Functional call then binds it without walking the argument structures.
        self.single_input = self.call_args[0] if (
            len(self.call_args) == 1 and len(self.input_tensors) == 1
            and self.input_tensors[0] is self.call_args[0]) else None
        index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(self.outputs):
            t._keras_history = (layer, index, i)

    @property
    def parent_nodes(self):
        parents = []
        for t in self.input_tensors:
            layer, index, _ = t._keras_history
            parents.append(layer._inbound_nodes[index])
        return parents

    @property
    def is_input(self):
        return not self.input_tensors
