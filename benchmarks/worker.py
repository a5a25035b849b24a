"""Runs one implementation of one workload in this process and prints its measurements.

Usage (run.py does this, with the thread settings in its environment):
    python benchmarks/worker.py IMPL ENGINE WORKLOAD STEPS CORE
The last stdout line is ``RESULT {json}``: the timings, or ``{"skip": reason}``. Under run.py
the worker also takes turns with the cell's other implementations (turns.py).
"""
import importlib
import json
import os
import sys
import traceback

from measure import now, peak_rss_mib, pin_engine_threads, pin_process
from turns import take_turn

MARK = "RESULT "
# None: the engine itself
ENTRY = {"native": None, "kfront": "kfront", "kfront-compiled": "kfront", "keras": "keras"}
IMPL_MODULE = {"kfront": "kfront_impl", "kfront-compiled": "kfront_compiled_impl",
               "keras": "keras_impl"}


def _short(exc):
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:160]


def main(impl, engine, workload, steps, core):
    pin_process(core)
    take_turn()  # under run.py: wait until the other implementations of the cell are up
    os.environ["KFRONT_BACKEND"] = os.environ["KERAS_BACKEND"] = engine
    entry = ENTRY[impl] or engine
    t = now()
    try:
        importlib.import_module(entry)
    except Exception as exc:
        return {"skip": f"import {entry} failed: {_short(exc)}"}
    import_s = now() - t
    note = pin_engine_threads(engine)
    try:
        module = IMPL_MODULE.get(impl) or f"native_{'tf' if engine == 'tensorflow' else engine}"
        out = importlib.import_module(module).run(workload, steps, engine)
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return {"skip": _short(exc)}
    # Time to the first result: import, model build and the first epoch, compiling included.
    first_epoch = out.pop("first_epoch_s", None)
    out.update(import_s=import_s, peak_rss_mib=peak_rss_mib(), thread_note=note,
               to_first_epoch_s=None if first_epoch is None else import_s + first_epoch)
    return out


if __name__ == "__main__":
    impl, engine, workload, steps, core = sys.argv[1:6]
    result = main(impl, engine, workload, int(steps), int(core))
    sys.stdout.flush()
    print(MARK + json.dumps(result), flush=True)
