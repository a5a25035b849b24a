"""Runs a script with its ``fit``/``evaluate``/``predict`` calls watched, for ``compare``.

    KFRONT_RECORD_FILE=out.json python -m kfront.testing.collect SCRIPT [args...]

The script runs as ``python SCRIPT args`` would run it (``__name__ == "__main__"``, its folder
first on ``sys.path``), unchanged: ``kfront.models.Model``'s ``fit``, ``evaluate`` and
``predict`` are wrapped for the run. At exit the file named by ``KFRONT_RECORD_FILE`` gets the
History of every ``fit``, the results of every ``evaluate``, what the script marked with
``kfront.testing.record``, wall times per step, the time to the first training step
(from ``KFRONT_COMPARE_T0``, the launch time, when set) and the peak resident memory.
"""
import functools
import json
import os
import resource
import runpy
import sys
import threading
import time

RECORD_FILE = "KFRONT_RECORD_FILE"
START_TIME = "KFRONT_COMPARE_T0"

_state = {"fit": [], "evaluate": [], "predict": [], "first_step": None}
_depth = threading.local()


def _step_timer(entry):
    from kfront.callbacks import Callback

    class StepTimer(Callback):
        """When the first and the last training step ended, and how many steps ran. (The
        time between them, not each step's own, since engines that dispatch asynchronously
        return from a step before its work is done.)"""

        def on_train_batch_end(self, batch, logs=None):
            now = time.perf_counter()
            if "first_step_end" not in entry:
                entry["first_step_end"] = now
                if _state["first_step"] is None:
                    _state["first_step"] = time.time()
            entry["last_step_end"] = now
            entry["steps"] = entry.get("steps", 0) + batch - self._last
            self._last = batch

        def on_epoch_begin(self, epoch, logs=None):
            self._last = -1

    return StepTimer()


def _watch(kind, method):
    @functools.wraps(method)
    def watched(self, *args, **kwargs):
        depth = getattr(_depth, "value", 0)
        if depth:  # an override calling super().fit(...): the outer call is recorded
            return method(self, *args, **kwargs)
        entry = {}
        if kind == "fit":
            callbacks = kwargs.get("callbacks")
            if callbacks is None or isinstance(callbacks, (list, tuple)):
                kwargs["callbacks"] = list(callbacks or []) + [_step_timer(entry)]
        _depth.value = depth + 1
        start = time.perf_counter()
        try:
            result = method(self, *args, **kwargs)
        finally:
            _depth.value = depth
        entry["wall_s"] = time.perf_counter() - start
        if kind == "fit":
            history = getattr(result, "history", None) or {}
            entry["history"] = {k: [float(v) for v in vals] for k, vals in history.items()}
        elif kind == "evaluate":
            entry["results"] = _named_results(self, result)
        _state[kind].append(entry)
        return result
    return watched


def _named_results(model, result):
    if isinstance(result, dict):
        return {k: float(v) for k, v in result.items()}
    names = list(getattr(model, "metrics_names", None) or [])
    values = list(result) if isinstance(result, (list, tuple)) else [result]
    if len(names) != len(values):
        names = [f"output_{i}" for i in range(len(values))]
    return {name: float(v) for name, v in zip(names, values)}


def install():
    """Wraps ``kfront.models.Model.fit/evaluate/predict`` (once)."""
    from kfront.models import Model
    for kind in ("fit", "evaluate", "predict"):
        method = getattr(Model, kind)
        if not getattr(method, "_kfront_watched", False):
            watched = _watch(kind, method)
            watched._kfront_watched = True
            setattr(Model, kind, watched)


def report(error=None):
    """What was collected in this process, JSON-ready."""
    import kfront
    from kfront.testing import recording, values
    t0 = os.environ.get(START_TIME)
    first = _state["first_step"]
    return {
        "backend": kfront.backend.backend(),
        "records": {k: values.encode(v) for k, v in recording.recorded().items()},
        "fit": _state["fit"], "evaluate": _state["evaluate"], "predict": _state["predict"],
        "time_to_first_step_s": (first - float(t0)) if first and t0 else None,
        # ru_maxrss is in KiB on Linux, bytes on macOS.
        "peak_memory_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss /
        (2 ** 20 if sys.platform == "darwin" else 2 ** 10),
        "error": error,
    }


def write(path, error=None):
    tmp = f"{path}.tmp"
    with open(tmp, "w") as f:
        json.dump(report(error), f)
    os.replace(tmp, path)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print("usage: python -m kfront.testing.collect SCRIPT [args...]", file=sys.stderr)
        return 2
    script = os.path.abspath(argv[0])
    install()
    sys.argv = [argv[0]] + argv[1:]
    sys.path[0] = os.path.dirname(script)
    error = None
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            error = f"SystemExit({exc.code!r})"
        raise
    except BaseException as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        if os.environ.get(RECORD_FILE):
            write(os.environ[RECORD_FILE], error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
