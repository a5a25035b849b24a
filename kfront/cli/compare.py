"""``python -m kfront compare SCRIPT [args]``: one script on every backend, side by side.

The script runs once per backend, each in its own process (``KFRONT_BACKEND`` set, one thread
per engine), unchanged: the History of every ``fit``, the results of every ``evaluate`` and the
values it marks with ``kfront.testing.record(name, value)`` are collected, with the wall time
per step, the time to the first step and the peak memory. One table shows every value on
every backend and the largest difference between two backends. The exit status is 1 when a
value differs beyond the tolerance (the values are named), 3 when the script failed on a
backend, 2 for a usage error.

Options come before the script or after its arguments; put the script's own options after
``--`` when their names clash (``compare train.py -- --json``).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from kfront.testing import values as _values

USAGE = ("usage: python -m kfront compare SCRIPT [script args] [--backends torch,jax,tensorflow]"
         " [--tolerance 1e-5] [--json] [--threads 1] [--timeout SECONDS] [--show-output]")
_FLAGS = {"--json", "--show-output"}
_OPTIONS = {"--backends", "--tolerance", "--threads", "--timeout"}


class UsageError(ValueError):
    pass


def parse_args(argv):
    """``(options, script, script_args)``; options a dict with every option's value."""
    options = {"backends": None, "tolerance": 1e-5, "json": False, "threads": 1,
               "timeout": None, "show_output": False}
    script, rest, i = None, [], 0
    while i < len(argv):
        arg = argv[i]
        name, _, inline = arg.partition("=")
        if arg == "--":
            rest += argv[i + 1:]
            break
        if arg in ("-h", "--help"):
            raise UsageError("help")
        if name in _FLAGS and not inline:
            options[name[2:].replace("-", "_")] = True
        elif name in _OPTIONS:
            if not inline:
                if i + 1 >= len(argv):
                    raise UsageError(f"{name} needs a value")
                i += 1
                inline = argv[i]
            options[name[2:]] = _option_value(name, inline)
        elif script is None:
            script = arg
        else:
            rest.append(arg)
        i += 1
    if script is None:
        raise UsageError("SCRIPT is missing")
    if not os.path.isfile(script):
        raise UsageError(f"SCRIPT {script!r} is not a file")
    return options, script, rest


def _option_value(name, text):
    from kfront import config
    if name == "--backends":
        names = [b.strip() for b in text.split(",") if b.strip()]
        unknown = [b for b in names if b not in config.KNOWN_BACKENDS]
        if not names or unknown:
            raise UsageError(f"--backends expects a comma-separated list of "
                             f"{list(config.KNOWN_BACKENDS)}; received {text!r}")
        missing = [b for b in names if b not in config.installed_backends()]
        if missing:
            raise UsageError(f"--backends names {missing}, not installed here (installed: "
                             f"{config.installed_backends()})")
        return names
    try:
        value = float(text) if name in ("--tolerance", "--timeout") else int(text)
    except ValueError:
        raise UsageError(f"{name} expects a number; received {text!r}") from None
    if value < 0 or (name == "--threads" and value < 1):
        raise UsageError(f"{name} must be {'>= 1' if name == '--threads' else '>= 0'}; "
                         f"received {text!r}")
    return value


def run_backend(name, script, script_args, threads=1, timeout=None, show_output=False):
    """Runs the script on ``name`` in a fresh process; returns its collected report (with
    ``returncode``, ``wall_s`` and ``output``, the tail of what it printed)."""
    n = str(threads)
    with tempfile.TemporaryDirectory(prefix="kfront-compare-") as folder:
        out = os.path.join(folder, "report.json")
        env = dict(os.environ, KFRONT_BACKEND=name, KFRONT_RECORD_FILE=out,
                   KFRONT_COMPARE_T0=repr(time.time()), OMP_NUM_THREADS=n, MKL_NUM_THREADS=n,
                   TF_NUM_INTRAOP_THREADS=n, TF_NUM_INTEROP_THREADS=n,
                   TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"),
                   XLA_FLAGS=os.environ.get("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                                            f"intra_op_parallelism_threads={n}"))
        start = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, "-m", "kfront.testing.collect", script,
                                   *script_args], env=env, capture_output=not show_output,
                                  text=True, timeout=timeout)
            code, output = proc.returncode, (proc.stdout or "") + (proc.stderr or "")
        except subprocess.TimeoutExpired as exc:
            code = None
            output = f"(stopped after {timeout:g} s)\n" + _text(exc.stdout) + _text(exc.stderr)
        wall = time.perf_counter() - start
        report = {"backend": name, "records": {}, "fit": [], "evaluate": [], "predict": []}
        if os.path.exists(out):
            with open(out) as f:
                report = json.load(f)
    report.update(returncode=code, wall_s=wall, output=output[-4000:])
    return report


def _text(data):
    return data.decode(errors="replace") if isinstance(data, bytes) else (data or "")


def value_rows(reports):
    """``[(name, {backend: leaf})]``: every value a run logged or recorded, in order."""
    rows = {}

    def put(name, backend, leaf):
        rows.setdefault(name, {})[backend] = leaf

    for backend, report in reports.items():
        for i, entry in enumerate(report.get("fit", [])):
            for key, series in entry.get("history", {}).items():
                put(f"fit[{i}].{key}", backend, series)
        for i, entry in enumerate(report.get("evaluate", [])):
            for key, value in entry.get("results", {}).items():
                put(f"evaluate[{i}].{key}", backend, value)
        for key, encoded in report.get("records", {}).items():
            for path, leaf in _values.flatten(_values.decode(encoded), key):
                put(path, backend, leaf)
    return list(rows.items())


def compare_rows(rows, backends, tolerance):
    """Each row with its largest difference over every pair of backends and a verdict."""
    out = []
    for name, leaves in rows:
        worst, status = None, "ok"
        missing = [b for b in backends if b not in leaves]
        if missing:
            status = "missing on " + ", ".join(missing)
        present = [b for b in backends if b in leaves]
        for i, a in enumerate(present):
            for b in present[i + 1:]:
                result = _values.compare_leaves(leaves[a], leaves[b], tolerance, tolerance)
                if worst is None or _worse(result, worst[2]):
                    worst = (a, b, result)
                if not result["ok"] and status == "ok":
                    status = "DIFFERS"
        out.append({"name": name, "values": leaves, "status": status,
                    "max_abs_diff": worst[2]["max_abs"] if worst else None,
                    "pair": worst[:2] if worst else None,
                    "reason": worst[2]["reason"] if worst else None})
    return out


def _worse(new, old):
    if new["ok"] != old["ok"]:
        return not new["ok"]
    return (new["max_abs"] is None) or (old["max_abs"] is not None and
                                        new["max_abs"] > old["max_abs"])


def timing_rows(reports):
    """``[(label, {backend: number})]``: timings and memory (shown, never compared)."""
    def step_ms(r):
        # From the end of the first step to the end of the last (the first compiles).
        fits = [e for e in r.get("fit", []) if e.get("steps", 0) > 1]
        span = sum(e["last_step_end"] - e["first_step_end"] for e in fits)
        steps = sum(e["steps"] - 1 for e in fits)
        return 1000 * span / steps if steps else None

    def total(kind):
        return lambda r: sum(e["wall_s"] for e in r.get(kind, [])) if r.get(kind) else None

    measures = [("time to first step (s)", lambda r: r.get("time_to_first_step_s")),
                ("step time after the first (ms)", step_ms),
                ("fit wall time (s)", total("fit")),
                ("evaluate wall time (s)", total("evaluate")),
                ("predict wall time (s)", total("predict")),
                ("peak memory (MiB)", lambda r: r.get("peak_memory_mib")),
                ("process wall time (s)", lambda r: r.get("wall_s"))]
    return [(label, {b: fn(r) for b, r in reports.items()}) for label, fn in measures]


def format_table(script, reports, compared, timings, tolerance):
    backends = list(reports)
    header = ["value"] + backends + ["max |diff|", ""]
    lines = []
    for row in compared:
        cells = [_cell(row["values"].get(b, "-")) for b in backends]
        diff = "-" if row["max_abs_diff"] is None else f"{row['max_abs_diff']:.2e}"
        mark = "" if row["status"] == "ok" else row["status"]
        if row["status"] == "DIFFERS" and row["reason"]:
            mark += f" ({row['pair'][0]} vs {row['pair'][1]}: {row['reason']})"
        lines.append([row["name"]] + cells + [diff, mark])
    timing_lines = [[label] + [("-" if v is None else f"{v:.3g}") for v in
                               (by.get(b) for b in backends)] + ["", ""]
                    for label, by in timings]
    widths = [max(len(r[i]) for r in [header] + lines + timing_lines) for i in
              range(len(header) - 1)]

    def fmt(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)) + "  " + cells[-1]

    out = [f"kfront compare {script}  (tolerance {tolerance:g})", "", fmt(header).rstrip(),
           fmt(["-" * w for w in widths] + [""]).rstrip()]
    out += [fmt(line).rstrip() for line in lines] or ["(no fit, evaluate or recorded values)"]
    out += ["", fmt(["timings (not compared)"] + [""] * (len(header) - 1)).rstrip()]
    out += [fmt(line).rstrip() for line in timing_lines]
    return "\n".join(out)


def _cell(leaf):
    if isinstance(leaf, list) and leaf and all(isinstance(v, (int, float)) for v in leaf):
        return f"{leaf[-1]:.6g} ({len(leaf)} ep)" if len(leaf) > 1 else f"{leaf[0]:.6g}"
    return _values.describe(leaf)


def main(argv):
    from kfront import config
    try:
        options, script, script_args = parse_args(argv)
    except UsageError as exc:
        if str(exc) == "help":
            print(USAGE + "\n\n" + __doc__.split("\n\n", 1)[1])
            return 0
        print(f"kfront compare: {exc}\n{USAGE}", file=sys.stderr)
        return 2
    backends = options["backends"] or config.installed_backends()
    reports = {}
    for name in backends:
        print(f"kfront compare: running {script} on {name} ...", file=sys.stderr, flush=True)
        reports[name] = run_backend(name, script, script_args, options["threads"],
                                    options["timeout"], options["show_output"])
    compared = compare_rows(value_rows(reports), backends, options["tolerance"])
    failed = {b: r for b, r in reports.items() if r["returncode"] != 0}
    differ = [row["name"] for row in compared if row["status"] != "ok"]
    if options["json"]:
        print(json.dumps({"script": script, "tolerance": options["tolerance"],
                          "backends": reports, "values": compared, "failed": list(failed),
                          "differ": differ}, indent=1, default=str))
    else:
        print(format_table(script, reports, compared, timing_rows(reports),
                           options["tolerance"]))
    for name, report in failed.items():
        status = "timed out" if report["returncode"] is None else \
            f"exited with status {report['returncode']}"
        print(f"\nkfront compare: the script {status} on {name}:\n{report['output']}",
              file=sys.stderr)
    if failed:
        return 3
    if differ:
        print(f"\nkfront compare: values differ between backends beyond tolerance "
              f"{options['tolerance']:g}: {', '.join(differ)}", file=sys.stderr)
        return 1
    return 0
