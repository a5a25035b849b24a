"""``LivePlot``: redraws the training curves after every epoch (in a notebook, or to a file)."""
from kfront.callbacks.callback import Callback


class LivePlot(Callback):
    """Plots loss and metrics as training goes, with ``kfront.utils.plot_history``.

    In a Jupyter notebook the figure under the cell is replaced after each ``every`` epochs;
    with ``path`` the figure is also written there (e.g. to watch it from another window).

    Args:
        metrics: names to plot; by default every logged one.
        path: a file to (over)write with the current figure, or None.
        every: redraw every this many epochs.

    >>> model.fit(x, y, validation_split=0.2, callbacks=[LivePlot(path="live.png")])
    """

    _chief_only = True

    def __init__(self, metrics=None, path=None, every=1):
        super().__init__()
        if not isinstance(every, int) or isinstance(every, bool) or every < 1:
            raise ValueError(f"`every` must be a positive integer. Received: every={every!r}")
        from kfront.utils.history_plot import _matplotlib_figure
        _matplotlib_figure()                   # a missing matplotlib fails here, not mid-fit
        self.metrics = metrics
        self.path = path
        self.every = every
        self.logs = {}

    def on_train_begin(self, logs=None):
        self.logs = {}

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            try:
                self.logs.setdefault(key, []).append(float(value))
            except (TypeError, ValueError):
                continue
        if (epoch + 1) % self.every == 0:
            self._draw()

    def _draw(self):
        from kfront.utils.history_plot import plot_history
        if not self.logs:
            return
        fig = plot_history(self.logs, metrics=self.metrics, path=self.path)
        _show_in_notebook(fig)


def _show_in_notebook(fig):
    try:
        from IPython import get_ipython
        from IPython.display import clear_output, display
    except ImportError:
        return
    if get_ipython() is None:
        return
    clear_output(wait=True)
    display(fig)
