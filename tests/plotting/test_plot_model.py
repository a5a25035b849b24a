"""``utils.model_to_dot`` / ``plot_model``: the DOT graph (checked without Graphviz, and
against Keras's for the same model), the PNG (Graphviz where installed, matplotlib
otherwise), and the errors."""
import re
import sys
import warnings

import numpy as np
import pytest

import kfront as keras
from kfront import layers
from tests.keras_reference import keras_numbers

pytest.importorskip("pydot")

_TWO_INPUTS = """
a = keras.Input((8,), name="a")
b = keras.Input((8,), name="b")
shared = keras.layers.Dense(4, activation="relu", name="shared")
inner = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, name="i1"),
                          keras.layers.Dense(2, name="i2")], name="inner")
x = keras.layers.Concatenate(name="cat")([shared(a), shared(b)])
model = keras.Model([a, b], [keras.layers.Dense(3, name="head")(x), inner(shared(a))],
                    name="two")
"""


def _two_inputs_model():
    scope = {"keras": keras}
    exec(_TWO_INPUTS, scope)
    return scope["model"]


def _edges(dot):
    """``{"src->dst"}`` by layer name, read from the DOT text."""
    text = dot.to_string()
    names = dict(re.findall(r"^(\d+) \[label=<.*?<b>([^<( ]+)", text, flags=re.M))
    return {f"{names[s]}->{names[d]}" for s, d in re.findall(r"^(\d+) -> (\d+)", text,
                                                              flags=re.M)}


def _box_names(dot):
    return re.findall(r"^\d+ \[label=<.*?<b>([^<( ]+)", dot.to_string(), flags=re.M)


def test_functional_graph_matches_keras():
    model = _two_inputs_model()
    for expand in (False, True):
        ref = keras_numbers(_TWO_INPUTS + f"""
import re
text = keras.utils.model_to_dot(model, expand_nested={expand}).to_string()
names = dict(re.findall(r"^(\\d+) \\[label=<.*?<b>([^<( ]+)", text, flags=re.M))
edges = [names[s] + "->" + names[d] for s, d in re.findall(r"^(\\d+) -> (\\d+)", text, flags=re.M)]
out["edges"] = np.array(sorted(edges))
out["boxes"] = np.array(sorted(names.values()))
""")
        dot = keras.utils.model_to_dot(model, expand_nested=expand)
        assert _edges(dot) == set(ref["edges"].tolist())
        assert sorted(_box_names(dot)) == sorted(ref["boxes"].tolist())
    # Expanded: the nested model is a dashed cluster named after it.
    text = keras.utils.model_to_dot(model, expand_nested=True).to_string()
    assert "subgraph cluster_inner" in text and "style=dashed" in text


def test_sequential_chain_and_subclassed_box():
    seq = keras.Sequential([keras.Input((5,)), layers.Dense(3, name="d1"),
                            layers.Dropout(0.1, name="drop"), layers.Dense(1, name="d2")])
    assert _edges(keras.utils.model_to_dot(seq)) == {"d1->drop", "drop->d2"}

    class Net(keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    net = Net()
    net(np.zeros((1, 3), "float32"))
    dot = keras.utils.model_to_dot(net)
    assert _box_names(dot) == ["net"] and _edges(dot) == set()


def test_label_options():
    model = _two_inputs_model()
    text = keras.utils.model_to_dot(model, show_shapes=True, show_dtype=True,
                                    show_layer_activations=True, show_trainable=True).to_string()
    assert "Input shape: (None, 4), (None, 4)" in text          # the Concatenate
    assert "Output shape: (None, 3)" in text
    assert "Output dtype: float32" in text
    assert "Activation: <b>relu</b>" in text
    assert "<b>Trainable</b>" in text
    model.get_layer("head").trainable = False
    text = keras.utils.model_to_dot(model, show_trainable=True, show_layer_names=False,
                                    rankdir="LR", dpi=96).to_string()
    assert "<b>Non-trainable</b>" in text and "<b>Dense</b>" in text
    assert "rankdir=LR" in text and "dpi=96" in text
    assert "Input shape" not in text


def test_errors():
    unbuilt = keras.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="This model has not yet been built"):
        keras.utils.model_to_dot(unbuilt)
    model = _two_inputs_model()
    with pytest.raises(ValueError, match="Unrecognized keyword arguments: {'colour': 1}"):
        keras.utils.plot_model(model, colour=1)
    with pytest.raises(ValueError, match="`layer_range` is no longer supported"):
        keras.utils.model_to_dot(model, layer_range=["a", "head"])


def test_missing_pydot_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    with pytest.raises(ImportError, match=r'model_to_dot needs pydot: pip install "kfront\[plot\]"'):
        keras.utils.model_to_dot(_two_inputs_model())


def _png_pixels(path):
    Image = pytest.importorskip("PIL.Image")
    with Image.open(path) as img:
        assert img.format == "PNG"
        return np.asarray(img.convert("L"))


def test_plot_model_png(tmp_path, monkeypatch):
    """The drawing is made by Graphviz where its `dot` exists, else by matplotlib."""
    pytest.importorskip("matplotlib")
    model = _two_inputs_model()
    path = tmp_path / "model.png"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")             # the no-Graphviz notice
        keras.utils.plot_model(model, to_file=path, show_shapes=True, show_layer_names=True)
        keras.utils.plot_model(model, to_file=tmp_path / "lr.png", rankdir="LR", dpi=72)
    pixels = _png_pixels(path)
    h, w = pixels.shape
    assert h > 300 and w > 300                      # four ranks of boxes at 200 dpi
    dark = (pixels < 100).mean()
    assert 0.02 < dark < 0.6                        # boxes and text, on white
    assert pixels.max() == 255
    # Left to right: wider than tall.
    h2, w2 = _png_pixels(tmp_path / "lr.png").shape
    assert w2 > h2


def test_matplotlib_fallback_without_graphviz(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from kfront.utils import model_visualization
    monkeypatch.setattr(model_visualization, "_has_graphviz", lambda: False)
    model = _two_inputs_model()
    with pytest.warns(UserWarning, match="`dot` program was not found: plot_model draws"):
        keras.utils.plot_model(model, to_file=tmp_path / "m.svg", expand_nested=True)
    svg = (tmp_path / "m.svg").read_text()
    assert svg.startswith("<?xml") and "inner" in svg
    with pytest.raises(ValueError, match="cannot write 'xyz' files without Graphviz"), \
            pytest.warns(UserWarning):
        keras.utils.plot_model(model, to_file=tmp_path / "m.xyz")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"plot_model needs pydot and Graphviz.*or matplotlib"
                                          r".*kfront\[plot\]"):
        keras.utils.plot_model(model, to_file=tmp_path / "m.png")


def test_dot_file_needs_no_graphviz(tmp_path):
    model = _two_inputs_model()
    keras.utils.plot_model(model, to_file=tmp_path / "m.dot", show_shapes=True)
    text = (tmp_path / "m.dot").read_text()
    assert text.startswith("digraph") and "Output shape: (None, 3)" in text

