"""``plot_history``: the loss and metric curves of a training run, one panel per metric.

Reads a ``History`` (what ``fit`` returns), its ``.history`` dict, or the file a
``CSVLogger`` wrote. Each panel shows the training curve and, when logged, the
``val_`` curve of the same metric.
"""
import csv
import math
import os

_HINT = 'pip install "kfront[plot]"'


def _matplotlib_figure():
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(f"plot_history needs matplotlib: {_HINT}.") from None
    return Figure


def _read_csv(path):
    with open(path, newline="") as f:
        sample = f.read(4096)
        f.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = list(csv.DictReader(f, dialect=dialect))
    if not rows:
        raise ValueError(f"plot_history: {path!r} has no logged epochs (expected the CSV "
                         "file a CSVLogger wrote, with a header line and one row per epoch).")
    logs = {}
    for key in rows[0]:
        if key == "epoch":
            continue
        try:
            logs[key] = [float(r[key]) if r[key] not in ("", None) else math.nan for r in rows]
        except ValueError:
            continue                           # a non-numeric column: nothing to plot
    return logs


def history_logs(history):
    """``{name: [value per epoch]}`` from a History, a dict or a CSVLogger file path."""
    if hasattr(history, "history") and isinstance(history.history, dict):
        logs = history.history
    elif isinstance(history, dict):
        logs = history
    elif isinstance(history, (str, os.PathLike)):
        logs = _read_csv(os.fspath(history))
    else:
        raise TypeError("plot_history expects the History that `fit` returns, its `.history` "
                        f"dict, or the path of a CSVLogger file; received "
                        f"{type(history).__name__}.")
    out = {}
    for key, values in logs.items():
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        try:
            out[str(key)] = [float(v) for v in values]
        except (TypeError, ValueError):
            raise ValueError(f"plot_history: the values logged under {key!r} are not numbers."
                             ) from None
    if not out:
        raise ValueError("plot_history: the history is empty (train with `fit` first).")
    return out


def _panels(logs, metrics):
    available = [k for k in logs if not k.startswith("val_")] or list(logs)
    if metrics is None:
        return available
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    missing = [m for m in metrics if m not in logs and f"val_{m}" not in logs]
    if missing:
        raise ValueError(f"plot_history: no logged values for {missing}; the history has "
                         f"{sorted(logs)}.")
    return metrics


def plot_history(history, metrics=None, path=None, figsize=None):
    """Plots training (and validation) curves, one panel per metric; returns the
    matplotlib ``Figure``.

    Args:
        history: the ``History`` from ``fit``, its ``.history`` dict, or a CSVLogger file.
        metrics: names to plot (e.g. ``["loss", "accuracy"]``); by default every logged one.
        path: where to save the figure (the extension picks the format), or None.
        figsize: ``(width, height)`` in inches; by default 4 inches a panel.

    Example::

        history = model.fit(x, y, validation_split=0.2, epochs=10)
        kfront.utils.plot_history(history, path="history.png")
    """
    Figure = _matplotlib_figure()
    logs = history_logs(history)
    names = _panels(logs, metrics)
    cols = min(len(names), 3)
    rows = math.ceil(len(names) / cols)
    fig = Figure(figsize=figsize or (4.0 * cols, 3.2 * rows), layout="constrained")
    for i, name in enumerate(names):
        ax = fig.add_subplot(rows, cols, i + 1)
        for key, label, style in ((name, "training", "-"), (f"val_{name}", "validation",
                                                           "--")):
            if key in logs:
                values = logs[key]
                ax.plot(range(1, len(values) + 1), values, style, marker="o", markersize=3,
                        label=label)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
        ax.legend()
    if path is not None:
        fig.savefig(os.fspath(path), dpi=100, facecolor="white")
    return fig
