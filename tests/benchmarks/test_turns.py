"""The benchmark runner's turn-taking: the implementations of a cell, each in its own
process, never run at the same time, and alternate (benchmarks/turns.py)."""
import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

from kfront import config

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "benchmarks")
# Loaded from its file: putting benchmarks/ on sys.path would shadow names like ``run``.
_spec = importlib.util.spec_from_file_location("bench_turns", os.path.join(BENCH, "turns.py"))
turns = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(turns)

# Engine-free: run with the first installed backend only.
pytestmark = pytest.mark.skipif(config.backend() != config.installed_backends()[0],
                                reason="benchmark tooling does not depend on the backend")

# A worker that times three busy segments, yielding before each, and reports their spans.
WORKER = textwrap.dedent(f"""
    import json, sys, time
    sys.path.insert(0, {BENCH!r})
    import turns
    turns.take_turn()
    spans = []
    for _ in range(3):
        turns.take_turn()
        t = time.perf_counter()
        while time.perf_counter() - t < 0.02:
            pass
        spans.append((t, time.perf_counter()))
    print("noise a library printed")
    print("RESULT " + json.dumps(spans))
""")


def _start(tmp_path, name, body):
    script = tmp_path / f"{name}.py"
    script.write_text(body)
    env = dict(os.environ, **{turns.ENV: "1"})
    return subprocess.Popen([sys.executable, str(script)], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def test_workers_run_one_at_a_time_and_alternate(tmp_path):
    procs = {n: _start(tmp_path, n, WORKER) for n in ("a", "b", "c")}
    results = turns.Turns(procs, "RESULT ", timeout=60).run()
    assert sorted(results) == ["a", "b", "c"]
    spans = sorted((s, e, n) for n, raw in results.items() for s, e in json.loads(raw))
    for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
        assert end <= start, "two workers were timed at the same time"
    assert [n for _, _, n in spans] == ["a", "b", "c"] * 3
    assert all(p.returncode == 0 for p in procs.values())


def test_a_worker_that_dies_or_hangs_does_not_stop_the_others(tmp_path):
    dies = "import sys; sys.path.insert(0, %r)\nimport turns\nturns.take_turn()\n" \
           "raise SystemExit(3)\n" % BENCH
    hangs = "import sys, time; sys.path.insert(0, %r)\nimport turns\nturns.take_turn()\n" \
            "time.sleep(60)\n" % BENCH
    procs = {"ok": _start(tmp_path, "ok", WORKER), "dies": _start(tmp_path, "dies", dies),
             "hangs": _start(tmp_path, "hangs", hangs)}
    cell = turns.Turns(procs, "RESULT ", timeout=2)
    results = cell.run()
    assert list(results) == ["ok"] and len(json.loads(results["ok"])) == 3
    assert cell.timed_out == {"hangs"}
    assert procs["dies"].returncode == 3


def test_yielding_does_nothing_outside_the_runner(monkeypatch):
    monkeypatch.setattr(turns, "_enabled", False)
    monkeypatch.setattr(sys, "stdin", None)  # reading it would raise
    turns.take_turn()
    turns.maybe_turn()
