"""``Progbar``: the Keras progress bar.

verbose=1 on a terminal (or in a notebook) redraws one line in place, the done part
of the bar in green: ``12/32 ━━━━━━━━━━━━━━━━━━━━ 1s 51ms/step - loss: 0.3912``.
Elsewhere (a log file, a pipe) it writes only the finished line, so logs stay short.
verbose=2 writes one line when done: ``32/32 - 0s - 2ms/step - loss: 0.1000``.
"""
import math
import sys
import time

import numpy as np

from kfront.utils import io_utils

_BOLD, _GREEN, _GREY, _RESET = "\x1b[1m", "\x1b[32m", "\x1b[37m", "\x1b[0m"


def _is_dynamic():
    if not io_utils.is_interactive_logging_enabled():
        return False  # plain lines for the logger
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        tty = bool(isatty()) if isatty is not None else False
    except ValueError:  # a closed stream
        tty = False
    return tty or "ipykernel" in sys.modules


def _format_value(value):
    if isinstance(value, (list, tuple, np.ndarray)):
        value = float(np.mean(value))
    try:
        value = float(value)
    except (TypeError, ValueError):
        return f" {value}"
    return f" {value:.4f}" if abs(value) > 1e-3 else f" {value:.4e}"


def format_time(seconds_per_unit, unit_name):
    """``" 3s/step"``, ``" 25ms/step"`` or ``" 80us/step"``."""
    if seconds_per_unit >= 1 or seconds_per_unit == 0:
        return f" {seconds_per_unit:.0f}s/{unit_name}"
    if seconds_per_unit >= 1e-3:
        return f" {seconds_per_unit * 1e3:.0f}ms/{unit_name}"
    return f" {seconds_per_unit * 1e6:.0f}us/{unit_name}"


def format_eta(eta):
    if eta > 3600:
        return "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
    if eta > 60:
        return "%d:%02d" % (eta // 60, eta % 60)
    return "%ds" % eta


class Progbar:
    """Displays a progress bar.

    Args:
        target: total number of steps, or None if unknown.
        width: the bar's width in characters.
        verbose: 0 silent, 1 live bar, 2 one line at the end.
        interval: minimum seconds between redraws.
        stateful_metrics: names of values shown as given; every other value is
            averaged over the steps seen (weighted by steps).
        stateless_metrics: the opposite selection: only these are averaged. Give at
            most one of the two.
        unit_name: what a step is called ("step", "sample").
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 stateless_metrics=None, unit_name="step"):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar: give only one of `stateful_metrics` (values shown as-is) or "
                "`stateless_metrics` (values averaged over steps)."
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics is not None else None
        self.stateless_metrics = set(stateless_metrics) if stateless_metrics is not None else None
        if self.stateful_metrics is None and self.stateless_metrics is None:
            self.stateful_metrics = set()
        self._dynamic_display = _is_dynamic()
        self._seen_so_far = 0
        self._values = {}
        self._values_order = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def _averaged(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def update(self, current, values=None, finalize=None):
        """Moves the bar to step ``current``.

        Args:
            current: the index of the current step (1-based count of steps done).
            values: ``[(name, value), ...]`` for this step.
            finalize: whether this is the last update; defaults to ``current >= target``.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            if name not in self._values_order:
                self._values_order.append(name)
            if self._averaged(name) and not finalize:
                steps = max(current - self._seen_so_far, 1)
                total, count = self._values.get(name, (0.0, 0))
                self._values[name] = (total + value * steps, count + steps)
            else:
                self._values[name] = (value, 1)
        self._seen_so_far = current

        now = time.time()
        time_per_unit = self._step_duration(current, now)
        if self.verbose == 1:
            if not finalize and (not self._dynamic_display
                                 or now - self._last_update < self.interval):
                return
            self._write(self._line(current, now, time_per_unit, finalize), finalize)
        elif self.verbose == 2 and finalize:
            io_utils.print_msg(self._summary(current, now, time_per_unit))
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by ``n`` steps."""
        self.update(self._seen_so_far + n, values)

    def _metrics_text(self):
        parts = []
        for name in self._values_order:
            total, count = self._values[name]
            if isinstance(total, (list, tuple, np.ndarray)):
                total = np.mean(total)
            try:
                avg = total / max(1, count)
            except TypeError:
                avg = total
            parts.append(f" - {name}:{_format_value(avg)}")
        return "".join(parts)

    def _line(self, current, now, time_per_unit, finalize):
        """The verbose=1 line, and its visible width."""
        styled = self._dynamic_display
        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            count = f"%{digits}d/%d" % (current, self.target)
            done = min(int(self.width * current / self.target), self.width)
            if styled:
                bar = f"{_BOLD}{count}{_RESET} {_GREEN}{'━' * done}{_RESET}" \
                      f"{_GREY}{'━' * (self.width - done)}{_RESET}"
            else:
                bar = f"{count} {'━' * done}{'─' * (self.width - done)}"
            plain_bar = f"{count} {'━' * self.width}"
        else:
            bar = plain_bar = "%7d/Unknown" % current
        if self.target is not None and self.target > 0 and not finalize:
            when = format_eta(time_per_unit * (self.target - current))
        else:
            when = f"{now - self._start:.0f}s"
        info = f" {_BOLD}{when}{_RESET}" if styled else f" {when}"
        plain_info = f" {when}"
        rest = format_time(time_per_unit, self.unit_name) + self._metrics_text()
        return bar + info + rest, len(plain_bar) + len(plain_info) + len(rest)

    def _write(self, line_and_width, finalize):
        line, width = line_and_width
        if self._dynamic_display:
            pad = " " * max(self._prev_total_width - width, 0)
            message = "\r" + line + pad
        else:
            message = line
        io_utils.print_msg(message, line_break=finalize)
        self._prev_total_width = width

    def _summary(self, current, now, time_per_unit):
        """The verbose=2 line."""
        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            count = f"%{digits}d/%d" % (current, self.target)
        else:
            count = f"{current}"
        return (f"{count} - {now - self._start:.0f}s -"
                f"{format_time(time_per_unit, self.unit_name)}{self._metrics_text()}")

    def _step_duration(self, current, now):
        # The first step (compilation, warm-up) is left out of the estimate once
        # later steps exist.
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit
