"""A model's layer graph, engine-free: the boxes and arrows ``model_to_dot`` and the
Graphviz-free renderer of ``plot_model`` both draw.

A Sequential model is a chain of its layers; a Functional model is its layers (Inputs
included) with an arrow from each layer to every layer that consumes one of its outputs;
a subclassed model has no graph to read and is one box. With ``expand_nested`` a nested
Sequential or Functional model becomes a cluster of its own boxes, and arrows that reach it
go to its first layer (or the matching Input) and leave from the layer making the output.
"""
import html


class Graph:
    """``items``: layers or nested ``Graph``s in drawing order; ``edges``: (source layer,
    destination layer) pairs in the order met, no duplicates."""

    def __init__(self, model):
        self.model = model
        self.items = []
        self.edges = []

    def add_edge(self, src, dst):
        if not any(s is src and d is dst for s, d in self.edges):
            self.edges.append((src, dst))

    def boxes(self):
        """Every layer drawn as a box, nested clusters flattened."""
        out = []
        for item in self.items:
            out.extend(item.boxes() if isinstance(item, Graph) else [item])
        return out

    def all_edges(self):
        out = list(self.edges)
        for item in self.items:
            if isinstance(item, Graph):
                out.extend(item.all_edges())
        return out


def _kinds():
    from kfront.models.functional import Functional
    from kfront.models.sequential import Sequential
    return Functional, Sequential


def _source_of(layer, output_index):
    """The innermost layer producing output ``output_index`` of ``layer``."""
    Functional, Sequential = _kinds()
    while isinstance(layer, (Functional, Sequential)):
        if isinstance(layer, Sequential):
            layer, output_index = layer.layers[-1], 0
        else:
            layer, _, output_index = layer.outputs[output_index]._keras_history
    return layer


def _destination_of(layer, input_index):
    """The innermost layer receiving input ``input_index`` of ``layer``."""
    Functional, Sequential = _kinds()
    while isinstance(layer, (Functional, Sequential)):
        if isinstance(layer, Sequential):
            layer, input_index = layer.layers[0], 0
        else:
            layer = layer.inputs[min(input_index, len(layer.inputs) - 1)]._keras_history[0]
    return layer


def layer_graph(model, expand_nested=False):
    """The ``Graph`` of ``model`` (see the module docstring)."""
    Functional, Sequential = _kinds()
    graph = Graph(model)
    if not isinstance(model, (Functional, Sequential)):
        graph.items.append(model)
        return graph
    layers = model.layers
    for layer in layers:
        nested = expand_nested and isinstance(layer, (Functional, Sequential))
        graph.items.append(layer_graph(layer, True) if nested else layer)
    if isinstance(model, Sequential):
        for a, b in zip(layers, layers[1:]):
            if expand_nested:
                a, b = _source_of(a, 0), _destination_of(b, 0)
            graph.add_edge(a, b)
        return graph
    for node in model._nodes:
        for input_index, tensor in enumerate(node.input_tensors):
            src, _, output_index = tensor._keras_history
            dst = node.layer
            if expand_nested:
                src, dst = _source_of(src, output_index), _destination_of(dst, input_index)
            graph.add_edge(src, dst)
    return graph


def _shape_text(structure):
    if structure is None:
        return "?"
    if isinstance(structure, dict):
        return ", ".join(f"{k}: {_shape_text(v)}" for k, v in structure.items())
    if isinstance(structure, (list, tuple)) and not all(
            d is None or isinstance(d, int) for d in structure):
        return ", ".join(_shape_text(v) for v in structure)
    return str(tuple(structure))


def _tensors_attr(layer, attr, which):
    """``shape``/``dtype`` of the layer's first call's input or output tensors, or None."""
    from kfront.utils import tree
    try:
        tensors = getattr(layer, which)
    except (AttributeError, ValueError):
        return None
    return tree.map_structure(lambda t: getattr(t, attr), tensors)


def activation_name(layer):
    fn = getattr(layer, "activation", None)
    return getattr(fn, "name", None) or getattr(fn, "__name__", None) or str(fn)


def label_parts(layer, show_shapes=False, show_dtype=False, show_layer_names=True,
                show_layer_activations=False, show_trainable=False):
    """``(title, activation or None, [cell texts], trainable flag or None)`` for one box."""
    class_name = type(layer).__name__
    title = f"{layer.name} ({class_name})" if show_layer_names else class_name
    activation = None
    if show_layer_activations and getattr(layer, "activation", None) is not None:
        activation = activation_name(layer)
    cells = []
    if show_shapes:
        if class_name != "InputLayer":
            cells.append("Input shape: " + _shape_text(_tensors_attr(layer, "shape", "input")))
        cells.append("Output shape: " + _shape_text(_tensors_attr(layer, "shape", "output")))
    if show_dtype:
        dtype = _tensors_attr(layer, "dtype", "output")
        cells.append(f"Output dtype: {dtype or '?'}")
    trainable = None
    if show_trainable and layer.weights:
        trainable = bool(layer.trainable)
    return title, activation, cells, trainable


def html_label(parts):
    """A Graphviz HTML-like table label for ``label_parts`` (the look Keras's plots have)."""
    title, activation, cells, trainable = parts
    columns = [f'<td bgcolor="white"><font point-size="14">{html.escape(c)}</font></td>'
               for c in cells]
    if trainable is not None:
        color, text = ("forestgreen", "Trainable") if trainable else ("firebrick",
                                                                      "Non-trainable")
        columns.append(f'<td bgcolor="{color}"><font point-size="14" color="white">'
                       f"<b>{text}</b></font></td>")
    span = max(1, len(columns))
    out = ['<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">',
           f'<tr><td colspan="{span}" bgcolor="black"><font point-size="16" color="white">'
           f"<b>{html.escape(title)}</b></font></td></tr>"]
    if activation is not None:
        out.append(f'<tr><td bgcolor="white" colspan="{span}"><font point-size="14">'
                   f"Activation: <b>{html.escape(activation)}</b></font></td></tr>")
    if columns:
        out.append("<tr>" + "".join(columns) + "</tr>")
    out.append("</table>>")
    return "".join(out)
