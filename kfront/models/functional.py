"""``Functional``: a model defined by a graph of layers from ``Input``s to outputs."""
import collections

from kfront.backend.keras_tensor import KerasTensor
from kfront.backend.loader import adapter
from kfront.layers.core.input_layer import InputLayer
from kfront.layers.input_spec import InputSpec, assert_input_compatibility
from kfront.layers.layer import _shape
from kfront.models.model import Model
from kfront.utils import tree

_B = adapter()


def _check_tensors(structure, what):
    for t in tree.flatten(structure):
        if not isinstance(t, KerasTensor):
            raise ValueError(
                f"All `{what}` of a Functional model must be symbolic tensors from "
                f"`kfront.Input` or from layers called on them; received {type(t).__name__}: "
                f"{t!r}"
            )


def _release_plan(nodes, outputs):
    """For each node, the ids of the values no later node reads and the model does not
    return: ``call`` drops them once that node has run, so a deep model's activations are
    freed as the call goes (under ``no_grad`` nothing else holds them), as in an engine's
    own module, instead of all living until the call returns."""
    last = {}
    for i, node in enumerate(nodes):
        for t in node.outputs:
            last[id(t)] = i
        for t in node.input_tensors:
            last[id(t)] = i
    kept = {id(t) for t in outputs}
    plan = [[] for _ in nodes]
    for key, i in last.items():
        if key not in kept:
            plan[i].append(key)
    return plan


def _sort_nodes(outputs, inputs, first_seen=None):
    """Nodes from the inputs to the outputs in dependency order; checks connectivity.
    ``first_seen`` (a dict) receives {id(layer): rank of its first visit}.

    Iterative depth-first search: a graph thousands of layers deep must not hit Python's
    recursion limit.
    """
    input_ids = {id(t) for t in inputs}
    order, visited, visiting = [], set(), set()

    def parent_of(node, t):
        layer, index, _ = t._keras_history
        parent = layer._inbound_nodes[index]
        if parent.is_input:
            raise ValueError(
                f"Graph disconnected: cannot obtain value for tensor {t} at layer "
                f'"{node.layer.name}". The model inputs do not include input '
                f'"{layer.name}": pass every Input the outputs depend on to Model(inputs=...).'
            )
        return parent

    def seen(node):
        if first_seen is not None:
            first_seen.setdefault(id(node.layer), len(first_seen))

    def visit(root):
        seen(root)
        stack = [(root, iter(root.input_tensors))]
        visiting.add(id(root))
        while stack:
            node, pending = stack[-1]
            for t in pending:
                if id(t) in input_ids:
                    continue
                parent = parent_of(node, t)
                if id(parent) in visited:
                    continue
                if id(parent) in visiting:
                    raise ValueError(f"The graph has a cycle at layer {parent.layer.name!r}.")
                seen(parent)
                visiting.add(id(parent))
                stack.append((parent, iter(parent.input_tensors)))
                break
            else:
                stack.pop()
                visiting.discard(id(node))
                visited.add(id(node))
                order.append(node)

    for t in outputs:
        if id(t) in input_ids:
            continue
        layer, index, _ = t._keras_history
        node = layer._inbound_nodes[index]
        if node.is_input:
            raise ValueError(f"Graph disconnected: output {t} comes from an Input that is not "
                             "among the model inputs.")
        if id(node) not in visited:
            visit(node)
    return order


def _layers_by_depth(nodes, first_seen):
    """The nodes' layers as Keras orders them: deepest (farthest from the outputs) first,
    ties by first visit from the outputs. Weight files key layers by this order, so files
    written by Keras load by position."""
    in_graph = {id(node) for node in nodes}
    node_depth, layer_depth, layers = {}, {}, {}
    for node in reversed(nodes):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        layers[id(node.layer)] = node.layer
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    return sorted(layers.values(), key=lambda layer: (-layer_depth[id(layer)],
                                                      first_seen[id(layer)]))


def _sort_dicts(structure):
    if isinstance(structure, dict):
        return {k: _sort_dicts(structure[k]) for k in sorted(structure)}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_sort_dicts(v) for v in structure)
    return structure


class Functional(Model):
    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        _check_tensors(inputs, "inputs")
        _check_tensors(outputs, "outputs")
        # ``model.input``/``model.output`` give back the structures as the user passed them.
        self._given_io = (inputs, outputs)
        if isinstance(inputs, (list, tuple)) and len(inputs) == 1 and \
                not isinstance(inputs, dict):
            inputs = inputs[0]
        self._inputs_struct = inputs
        # Flattening walks dicts in sorted-key order; rebuilding walks them in insertion order.
        # Keys kept sorted make the two agree, so outputs land under their own names.
        self._outputs_struct = _sort_dicts(outputs)
        self.inputs = tree.flatten(inputs)
        self.outputs = tree.flatten(outputs)
        first_seen = {}
        self._nodes = _sort_nodes(self.outputs, self.inputs, first_seen)
        self._release_after = _release_plan(self._nodes, self.outputs)
        input_layers = [t._keras_history[0] for t in self.inputs]
        layers = list(input_layers)
        known = {id(layer) for layer in layers}
        for layer in _layers_by_depth(self._nodes, first_seen):
            if id(layer) not in known:
                known.add(id(layer))
                layers.append(layer)
        counts = collections.Counter(layer.name for layer in layers)
        for name, count in counts.items():
            if count > 1:
                raise ValueError(f'The name "{name}" is used {count} times in the '
                                 "model. All layer names should be unique.")
        # Layers are tracked like attributes so weights, trainable and saving see them.
        self._track_sublayers(layers)
        self._layers_in_order = layers
        names = [t._keras_history[0].name for t in self.outputs]
        if isinstance(outputs, dict):
            names = sorted(outputs)
        self._output_names = names
        self._input_names = sorted(inputs) if isinstance(inputs, dict) else \
            [t._keras_history[0].name for t in self.inputs]
        self._input_specs = [InputSpec(shape=t.shape) for t in self.inputs]
        # Masks are carried node by node only in graphs where some layer makes one.
        self._mask_flow = any(getattr(t, "_keras_mask", None) is not None
                              for node in self._nodes for t in node.outputs)
        self.supports_masking = True
        self._output_mask = None
        self.built = True

    @property
    def layers(self):
        return list(self._layers_in_order)

    @property
    def input(self):
        """The inputs as given to the constructor (a tensor, list or dict of ``Input``s)."""
        return self._given_io[0]

    @property
    def output(self):
        """The outputs as given to the constructor."""
        return self._given_io[1]

    @property
    def input_names(self):
        return self._input_names

    @property
    def input_shape(self):
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def _flatten_inputs(self, inputs):
        if isinstance(self._inputs_struct, dict):
            if not isinstance(inputs, dict):
                raise ValueError(f'Model "{self.name}" expects a dict of inputs with keys '
                                 f"{sorted(self._inputs_struct)}; received {type(inputs).__name__}.")
            missing = [k for k in sorted(self._inputs_struct) if k not in inputs]
            if missing:
                raise ValueError(f'Model "{self.name}" is missing input(s) {missing}; received '
                                 f"keys {sorted(inputs)}.")
            return self._adjust_input_rank([inputs[k] for k in sorted(self._inputs_struct)])
        if isinstance(inputs, dict):
            try:
                flat = [inputs[name] for name in self._input_names]
            except KeyError:
                raise ValueError(f'Model "{self.name}" has inputs {self._input_names}; received a '
                                 f"dict with keys {sorted(inputs)}.") from None
            return self._adjust_input_rank(flat)
        flat = tree.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(f'Model "{self.name}" expects {len(self.inputs)} input(s), but it '
                             f"received {len(flat)} input tensors.")
        return self._adjust_input_rank(flat)

    def _adjust_input_rank(self, flat):
        """As Keras: an input one axis short of an ``Input`` whose last size is 1 gains that
        axis (``(n, 28, 28)`` into ``Input((28, 28, 1))``), and one with an extra trailing axis
        of size 1 loses it. Any other rank difference is left to the input-spec check."""
        from kfront import ops
        adjusted = []
        for x, ref in zip(flat, self.inputs):
            shape = getattr(x, "shape", None)
            if shape is not None and not isinstance(x, KerasTensor):
                shape = _shape(x)
            if shape is None or len(shape) == len(ref.shape):
                adjusted.append(x)
            elif len(shape) == len(ref.shape) - 1 and ref.shape[-1] == 1:
                adjusted.append(ops.expand_dims(x, -1))
            elif len(shape) == len(ref.shape) + 1 and shape[-1] == 1:
                adjusted.append(ops.squeeze(x, -1))
            else:
                adjusted.append(x)
        return adjusted

    def call(self, inputs, training=None, mask=None):
        flat = self._flatten_inputs(inputs)
        values = {}
        for t, x in zip(self.inputs, flat):
            if not (isinstance(x, KerasTensor) or _B.is_tensor(x)):
                x = _B.convert_to_tensor(x, dtype=t.dtype if "float" in str(t.dtype) else None)
            values[id(t)] = x
        masks = None
        if self._mask_flow or mask is not None:
            masks = {}
            if mask is not None:
                for t, m in zip(self.inputs, tree.flatten(mask) if tree.is_nested(mask)
                                else [mask]):
                    masks[id(t)] = m
        fill = lambda v: values[id(v)] if isinstance(v, KerasTensor) else v  # noqa: E731
        for node, release in zip(self._nodes, self._release_after):
            if node.single_input is not None:
                args = (values[id(node.single_input)],)
                kwargs = dict(node.call_kwargs)
            else:
                args = tree.map_structure(fill, node.call_args)
                kwargs = tree.map_structure(fill, node.call_kwargs)
            if training is not None and node.layer._call_takes_training \
                    and "training" not in kwargs:
                kwargs["training"] = training
            if masks is None:
                out = node.layer(*args, **kwargs)
            else:
                out, out_mask = node.layer._call_masked(args, kwargs,
                                                        _node_mask(node, masks),
                                                        node=node, graph_masks=masks)
                _store_masks(node.outputs, out_mask, masks)
            for t, v in zip(node.outputs, tree.flatten(out)):
                values[id(t)] = v
            for key in release:
                del values[key]
        self._output_mask = (id(inputs), None if masks is None else (
            [masks.get(id(t)) for t in self.outputs] if len(self.outputs) > 1
            else masks.get(id(self.outputs[0]))))
        return tree.pack_sequence_as(self._outputs_struct,
                                     [values[id(t)] for t in self.outputs])

    def compute_output_spec(self, inputs, training=None, mask=None):
        """The outputs for symbolic ``inputs`` (a model used as a layer of another), from
        each layer's own spec along the graph, as Keras does: the model is not run on
        stand-in values, so sizes left unknown (an image of any size) stay unknown through
        strided layers, and a large backbone costs no computation."""
        flat = self._flatten_inputs(inputs)
        values = {id(t): x for t, x in zip(self.inputs, flat)}
        fill = lambda v: values[id(v)] if isinstance(v, KerasTensor) else v  # noqa: E731
        for node in self._nodes:
            args = tree.map_structure(fill, node.call_args)
            kwargs = tree.map_structure(fill, node.call_kwargs)
            if training is not None and node.layer._call_takes_training \
                    and "training" not in kwargs:
                kwargs["training"] = training
            out = node.layer.compute_output_spec(*args, **kwargs)
            for t, v in zip(node.outputs, tree.flatten(out)):
                values[id(t)] = v
        return tree.pack_sequence_as(self._outputs_struct,
                                     [values[id(t)] for t in self.outputs])

    def compute_mask(self, inputs, mask=None):
        """The output mask(s); computed with the values, so a call on other inputs runs."""
        if not self._mask_flow and mask is None:
            return None
        if self._output_mask is None or self._output_mask[0] != id(inputs):
            self.call(inputs, mask=mask)
        last, self._output_mask = self._output_mask, None
        return last[1]

    def __call__(self, *args, **kwargs):
        if args and not any(isinstance(x, KerasTensor) for x in tree.flatten(args[0])):
            flat = self._flatten_inputs(args[0])
            if all(_B.is_tensor(x) or hasattr(x, "shape") for x in flat):
                assert_input_compatibility(self._input_specs, flat, self.name, _shape)
        return super().__call__(*args, **kwargs)

    def get_config(self):
        from kfront.saving.model_config import functional_get_config
        return functional_get_config(self)


def _node_mask(node, masks):
    """The masks of a node's first argument, in its structure (None when it has none)."""
    first = node.call_args[0] if node.call_args else None
    if isinstance(first, KerasTensor):
        return masks.get(id(first))
    if tree.is_nested(first):
        found = tree.map_structure(
            lambda v: masks.get(id(v)) if isinstance(v, KerasTensor) else None, first)
        return found if any(m is not None for m in tree.flatten(found)) else None
    return None


def _store_masks(outputs, out_mask, masks):
    if out_mask is None:
        return
    flat = tree.flatten(out_mask) if tree.is_nested(out_mask) else [out_mask]
    for t, m in zip(outputs, flat):
        if m is not None:
            masks[id(t)] = m


def is_input_layer(layer):
    return isinstance(layer, InputLayer)
