"""``utils.plot_history`` and the ``LivePlot`` callback: panels, curves, inputs, errors."""
import sys

import numpy as np
import pytest

import kfront as keras

pytest.importorskip("matplotlib")

LOGS = {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.8, 0.7],
        "accuracy": [0.5, 0.7, 0.8], "val_accuracy": [0.4, 0.6, 0.65]}


def _curves(fig):
    """``{panel title: {legend label: y values}}``."""
    out = {}
    for ax in fig.axes:
        out[ax.get_title()] = {line.get_label(): list(line.get_ydata()) for line in ax.lines}
    return out


def test_one_panel_per_metric_with_validation_curves():
    fig = keras.utils.plot_history(LOGS)
    assert _curves(fig) == {
        "loss": {"training": LOGS["loss"], "validation": LOGS["val_loss"]},
        "accuracy": {"training": LOGS["accuracy"], "validation": LOGS["val_accuracy"]}}
    assert [list(line.get_xdata()) for line in fig.axes[0].lines][0] == [1, 2, 3]
    fig = keras.utils.plot_history(LOGS, metrics="accuracy")
    assert list(_curves(fig)) == ["accuracy"]


def test_from_fit_history_and_csv_logger(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    y = x.sum(1, keepdims=True)
    csv_path = tmp_path / "log.csv"
    history = model.fit(x, y, epochs=3, validation_split=0.25, verbose=0,
                        callbacks=[keras.callbacks.CSVLogger(csv_path)])
    from_history = _curves(keras.utils.plot_history(history, metrics=["loss", "mae"]))
    from_csv = _curves(keras.utils.plot_history(csv_path, metrics=["loss", "mae"]))
    for name in ("loss", "mae"):
        np.testing.assert_allclose(from_history[name]["training"], history.history[name])
        np.testing.assert_allclose(from_history[name]["validation"],
                                   history.history[f"val_{name}"])
        np.testing.assert_allclose(from_csv[name]["training"], history.history[name],
                                   rtol=1e-6)


def test_png_written(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    path = tmp_path / "history.png"
    keras.utils.plot_history(LOGS, path=path)
    with Image.open(path) as img:
        assert img.size == (800, 320)               # two 4x3.2-inch panels at 100 dpi
        pixels = np.asarray(img.convert("RGB")).astype(int)
    # Blue (training) and orange (validation) lines are drawn.
    blue = (pixels[..., 2] > 150) & (pixels[..., 0] < 80)
    orange = (pixels[..., 0] > 200) & (pixels[..., 2] < 60)
    assert blue.sum() > 50 and orange.sum() > 50


def test_errors(tmp_path):
    with pytest.raises(ValueError, match=r"no logged values for \['f1'\]; the history has "
                                         r"\['accuracy', 'loss', 'val_accuracy', 'val_loss'\]"):
        keras.utils.plot_history(LOGS, metrics=["loss", "f1"])
    with pytest.raises(ValueError, match="the history is empty"):
        keras.utils.plot_history({})
    with pytest.raises(TypeError, match="expects the History that `fit` returns.*received int"):
        keras.utils.plot_history(3)
    with pytest.raises(ValueError, match="the values logged under 'loss' are not numbers"):
        keras.utils.plot_history({"loss": ["a"]})
    empty = tmp_path / "empty.csv"
    empty.write_text("epoch,loss\n")
    with pytest.raises(ValueError, match="has no logged epochs"):
        keras.utils.plot_history(empty)


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r'plot_history needs matplotlib: pip install "kfront\[plot\]"'):
        keras.utils.plot_history(LOGS)
    with pytest.raises(ImportError, match="needs matplotlib"):
        keras.callbacks.LivePlot()


def test_live_plot_redraws_each_epoch(tmp_path):
    path = tmp_path / "live.png"
    seen = []

    class Spy(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(path.stat().st_mtime_ns if path.exists() else None)

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x = np.ones((8, 2), "float32")
    live = keras.callbacks.LivePlot(path=path, every=2)
    model.fit(x, x[:, :1], epochs=4, verbose=0, callbacks=[live, Spy()])
    assert seen[0] is None and seen[1] is not None and seen[2] == seen[1]
    assert live.logs["loss"] and len(live.logs["loss"]) == 4
    with pytest.raises(ValueError, match="`every` must be a positive integer. Received: every=0"):
        keras.callbacks.LivePlot(every=0)
