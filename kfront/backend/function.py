"""``Function``: a graph of layers and operations from symbolic inputs to outputs, called
like a function (the graph a Functional model runs, without the model around it)."""
from kfront.backend.keras_tensor import KerasTensor
from kfront.utils import tree


class Function:
    """Runs the computation that leads from ``inputs`` to ``outputs``.

    Args:
        inputs: a ``kfront.Input`` tensor or a structure of them.
        outputs: symbolic tensors computed from ``inputs`` (any structure).
        name: an optional name.

    >>> x = kfront.Input((3,))
    >>> y = kfront.layers.Dense(2)(x)
    >>> f = kfront.Function(x, {"out": y})
    >>> f(np.ones((4, 3)))["out"].shape
    (4, 2)
    """

    def __init__(self, inputs, outputs, name=None):
        from kfront.models.functional import _release_plan, _sort_nodes
        for what, structure in (("inputs", inputs), ("outputs", outputs)):
            for x in tree.flatten(structure):
                if not isinstance(x, KerasTensor):
                    raise ValueError(f"Function: all `{what}` must be symbolic tensors "
                                     f"(KerasTensor). Received: {x!r}")
        self.name = name or "function"
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self.inputs, self.outputs = tree.flatten(inputs), tree.flatten(outputs)
        self._nodes = _sort_nodes(self.outputs, self.inputs)
        self._release_after = _release_plan(self._nodes, self.outputs)

    @property
    def operations(self):
        """The layers and operations of the graph, in execution order."""
        seen = []
        for node in self._nodes:
            if all(node.layer is not op for op in seen):
                seen.append(node.layer)
        return seen

    def call(self, inputs):
        """Runs the graph on ``inputs`` (the structure of the ``inputs`` it was built
        with)."""
        flat = tree.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(f"Function {self.name!r} expects {len(self.inputs)} input(s); "
                             f"received {len(flat)}.")
        values = {id(t): x for t, x in zip(self.inputs, flat)}

        def fill(v):
            return values[id(v)] if isinstance(v, KerasTensor) else v

        for node, release in zip(self._nodes, self._release_after):
            out = node.layer(*tree.map_structure(fill, node.call_args),
                             **tree.map_structure(fill, node.call_kwargs))
            for t, v in zip(node.outputs, tree.flatten(out)):
                values[id(t)] = v
            for key in release:  # values no later node reads (see _release_plan)
                del values[key]
        return tree.pack_sequence_as(self._outputs_struct, [values[id(t)] for t in self.outputs])

    def __call__(self, inputs):
        return self.call(inputs)
