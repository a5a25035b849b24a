"""``assert_backends_agree``: one function, run on every backend, the same numbers."""
import concurrent.futures
import json
import os
import pickle
import subprocess
import sys
import tempfile

import numpy as np

from kfront.testing import values as _values

# The child imports the function by name, calls it, and writes what it returned as JSON.
_CHILD = """
import importlib, json, pickle, sys
from kfront.testing import values
module, qualname, args_path, out_path = sys.argv[1:5]
fn = importlib.import_module(module)
for part in qualname.split("."):
    fn = getattr(fn, part)
with open(args_path, "rb") as f:
    args, kwargs = pickle.load(f)
result = fn(*args, **kwargs)
with open(out_path, "w") as f:
    json.dump(values.encode(result), f)
"""


def _function_name(fn):
    module, qualname = getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)
    if not callable(fn) or not module or not qualname:
        raise TypeError(f"assert_backends_agree(): `fn` must be a function; received "
                        f"{fn!r}.")
    if "<locals>" in qualname or "<lambda>" in qualname or module == "__main__":
        raise TypeError(f"assert_backends_agree(): `fn` ({module}.{qualname}) must be "
                        "importable by name in a fresh process: define it at the top level of "
                        "a module (not inside a function, not a lambda, not in __main__).")
    return module, qualname


def run_on_backends(fn, *args, backends=None, timeout=600, **kwargs):
    """``{backend: result}``: ``fn(*args, **kwargs)`` run once per backend, each in a fresh
    process, results as NumPy arrays (nested lists/dicts kept). ``fn`` must be importable by
    name; ``args`` are pickled to the child processes."""
    from kfront import config
    module, qualname = _function_name(fn)
    backends = list(backends or config.installed_backends())
    unknown = [b for b in backends if b not in config.installed_backends()]
    if unknown:
        raise ValueError(f"assert_backends_agree(): `backends` names {unknown}, not installed "
                         f"here; installed: {config.installed_backends()}.")
    # The children see the modules this process sees (a test file's folder included).
    path = os.pathsep.join(p or os.getcwd() for p in sys.path)
    with tempfile.TemporaryDirectory(prefix="kfront-agree-") as folder:
        args_path = os.path.join(folder, "args.pickle")
        with open(args_path, "wb") as f:
            pickle.dump((args, kwargs), f)

        def run(name):
            out = os.path.join(folder, f"{name}.json")
            env = dict(os.environ, KFRONT_BACKEND=name, PYTHONPATH=path,
                       TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"))
            proc = subprocess.run([sys.executable, "-c", _CHILD, module, qualname, args_path,
                                   out], env=env, capture_output=True, text=True,
                                  timeout=timeout)
            if proc.returncode != 0:
                raise AssertionError(f"{module}.{qualname} failed on {name} (exit status "
                                     f"{proc.returncode}):\n{proc.stderr[-3000:]}")
            with open(out) as f:
                return _values.decode(json.load(f))

        with concurrent.futures.ThreadPoolExecutor(len(backends)) as pool:
            results = list(pool.map(run, backends))
    return dict(zip(backends, results))


def assert_backends_agree(fn, *args, rtol=1e-5, atol=1e-6, backends=None, **kwargs):
    """Runs ``fn(*args, **kwargs)`` once per backend, each in its own process, and asserts that
    the results agree: ``|a - b| <= atol + rtol * max(|a|, |b|)`` element by element against
    the first backend, with the same structure, shapes and non-numeric values.

    Args:
        fn: a function importable by name (defined at the top level of a module) that builds
            and runs a model; it may return numbers, arrays, tensors, or lists/tuples/dicts.
        *args, **kwargs: passed to ``fn`` (pickled to each process).
        rtol, atol: the tolerances.
        backends: the backends to run on; all installed ones by default.

    Returns:
        ``{backend: result}`` with NumPy arrays.

    Raises:
        AssertionError: naming each value that differs, the two backends, the largest
            difference, where it is and both numbers.

    Example:
        >>> # mymodels.py: def forward(seed): ...; return model(x)
        >>> kfront.testing.assert_backends_agree(mymodels.forward, 0, rtol=1e-5)
    """
    results = run_on_backends(fn, *args, backends=backends, **kwargs)
    names = list(results)
    reference = dict(_values.flatten(results[names[0]]))
    problems = []
    for other in names[1:]:
        leaves = dict(_values.flatten(results[other]))
        for path, found in _values.compare_values(results[names[0]], results[other],
                                                  rtol, atol).items():
            if not found["ok"]:
                problems.append(_explain(path, names[0], other, found, reference.get(path),
                                         leaves.get(path)))
    if problems:
        raise AssertionError(f"{fn.__module__}.{fn.__qualname__} gives different results "
                             f"on {', '.join(names)} (rtol={rtol:g}, atol={atol:g}):\n" +
                             "\n".join(problems))
    return results


def _explain(path, a_name, b_name, found, a_leaf, b_leaf):
    line = f"  {path or 'result'}: {a_name} vs {b_name}: {found['reason']}"
    if found["max_abs"] is not None and found["where"] is not None:
        a_value = np.asarray(a_leaf, dtype=float)[found["where"]]
        b_value = np.asarray(b_leaf, dtype=float)[found["where"]]
        at = f" at index {found['where']}" if found["where"] else ""
        line += (f"; largest |diff| {found['max_abs']:.3g}{at} ({a_name} {a_value:.8g}, "
                 f"{b_name} {b_value:.8g})")
    return line
