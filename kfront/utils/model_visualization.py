"""``plot_model`` and ``model_to_dot``, with Keras's arguments.

The graph is drawn by Graphviz through pydot when both are installed, as in Keras. Where
Graphviz's ``dot`` program is missing (it is not a pip package), ``plot_model`` still draws
the same boxes and arrows with matplotlib instead of failing, and says so once.
"""
import os
import shutil
import warnings

from kfront.utils import model_graph

_PLOT_HINT = 'pip install "kfront[plot]"'
_GRAPHVIZ_HINT = "Graphviz (https://graphviz.org/download/, e.g. `apt install graphviz`)"


def _pydot():
    try:
        import pydot
    except ImportError:
        raise ImportError(f"model_to_dot needs pydot: {_PLOT_HINT}.") from None
    return pydot


def _has_graphviz():
    return shutil.which("dot") is not None


def _check_model(model, kwargs):
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
    if not getattr(model, "built", False):
        raise ValueError("This model has not yet been built. Build the model first by calling "
                         "`build()` or by calling the model on a batch of data.")


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", expand_nested=False, dpi=200, subgraph=False,
                 show_layer_activations=False, show_trainable=False, splines="ortho",
                 **kwargs):
    """The model's layer graph as a ``pydot.Dot`` (or a ``pydot.Cluster`` with
    ``subgraph=True``); needs pydot but not Graphviz.

    Sequential and Functional models show one box per layer (multi-input/output graphs,
    shared layers and nested models included; ``expand_nested=True`` draws a nested model's
    layers inside a dashed cluster); a subclassed model is one box.

    Example: ``print(kfront.utils.model_to_dot(model, show_shapes=True).to_string())``.
    """
    _check_model(model, kwargs)
    pydot = _pydot()
    label_args = dict(show_shapes=show_shapes, show_dtype=show_dtype,
                      show_layer_names=show_layer_names,
                      show_layer_activations=show_layer_activations,
                      show_trainable=show_trainable)
    graph = model_graph.layer_graph(model, expand_nested=expand_nested)
    return _to_dot(pydot, graph, label_args, subgraph=subgraph,
                   settings=dict(rankdir=rankdir, dpi=dpi, splines=splines))


def _to_dot(pydot, graph, label_args, subgraph, settings):
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=graph.model.name)
        dot.set("label", graph.model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", settings["rankdir"])
        dot.set("concentrate", True)
        dot.set("dpi", settings["dpi"])
        dot.set("splines", settings["splines"])
        dot.set_node_defaults(shape="record")
    for item in graph.items:
        if isinstance(item, model_graph.Graph):
            dot.add_subgraph(_to_dot(pydot, item, label_args, True, settings))
            continue
        label = model_graph.html_label(model_graph.label_parts(item, **label_args))
        node = pydot.Node(str(id(item)), label=label)
        node.set("fontname", "Helvetica")
        node.set("border", "0")
        node.set("margin", "0")
        dot.add_node(node)
    for src, dst in graph.edges:
        edge = pydot.Edge(str(id(src)), str(id(dst)))
        edge.set("penwidth", "2")
        dot.add_edge(edge)
    return dot


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=False, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False, splines="ortho", **kwargs):
    """Draws the model's layer graph to ``to_file`` (the extension picks the format: png,
    pdf, svg, ...; ``.dot``/``.gv`` write the DOT text itself).

    Uses pydot and Graphviz when both are installed. Without Graphviz's ``dot`` program the
    same graph is drawn with matplotlib (png, pdf and svg). Returns an
    ``IPython.display.Image`` when IPython is installed, for notebooks; otherwise None.

    Example: ``kfront.utils.plot_model(model, "model.png", show_shapes=True)``.
    """
    _check_model(model, kwargs)
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:].lower() or "png"
    label_args = dict(show_shapes=show_shapes, show_dtype=show_dtype,
                      show_layer_names=show_layer_names,
                      show_layer_activations=show_layer_activations,
                      show_trainable=show_trainable)
    dot_args = dict(rankdir=rankdir, expand_nested=expand_nested, dpi=dpi, splines=splines,
                    **label_args)
    if extension in ("dot", "gv"):
        model_to_dot(model, **dot_args).write(to_file, format="raw")
        return None
    if _has_graphviz() and _pydot_installed():
        model_to_dot(model, **dot_args).write(to_file, format=extension)
    else:
        from kfront.utils import graph_drawing
        if not graph_drawing.available():
            raise ImportError(f"plot_model needs pydot and {_GRAPHVIZ_HINT}, or matplotlib "
                              f"for a simpler drawing: {_PLOT_HINT}.")
        warnings.warn("Graphviz's `dot` program was not found: plot_model draws the graph "
                      f"with matplotlib instead. For Graphviz's layout install "
                      f"{_GRAPHVIZ_HINT}.", stacklevel=2)
        graph = model_graph.layer_graph(model, expand_nested=expand_nested)
        graph_drawing.draw(graph, to_file, extension, label_args, rankdir=rankdir, dpi=dpi)
    if extension == "pdf":
        return None
    try:
        from IPython import display
    except ImportError:
        return None
    return display.Image(filename=to_file)


def _pydot_installed():
    try:
        _pydot()
    except ImportError:
        return False
    return True
