"""`python -m kfront compare`: a script on every backend, one table, a failing exit status
when values differ."""
import copy
import os
import subprocess
import sys

import numpy as np
import pytest

import kfront
from kfront import testing
from kfront.cli import compare
from kfront.models import Model
from kfront.testing import collect

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TINY = os.path.join(HERE, "scripts", "tiny_mlp.py")


def test_arguments():
    options, script, rest = compare.parse_args([TINY, "--epochs", "3", "--tolerance", "1e-3",
                                                "--json", "--", "--json"])
    assert script == TINY and rest == ["--epochs", "3", "--json"]
    assert options["tolerance"] == 1e-3 and options["json"] and options["backends"] is None
    with pytest.raises(compare.UsageError, match="--backends expects a comma-separated list"):
        compare.parse_args([TINY, "--backends", "torch,mxnet"])
    with pytest.raises(compare.UsageError, match="--tolerance expects a number; received 'x'"):
        compare.parse_args([TINY, "--tolerance=x"])
    with pytest.raises(compare.UsageError, match="SCRIPT 'nope.py' is not a file"):
        compare.parse_args(["nope.py"])
    with pytest.raises(compare.UsageError, match="SCRIPT is missing"):
        compare.parse_args(["--json"])


def test_usage_error_exit_status(capsys):
    assert compare.main(["missing.py"]) == 2
    assert "SCRIPT 'missing.py' is not a file" in capsys.readouterr().err


def _collect_in_process(monkeypatch, path):
    """collect.main on this backend, in this process, with Model restored afterwards."""
    for name in ("fit", "evaluate", "predict"):
        monkeypatch.setattr(Model, name, getattr(Model, name))
    monkeypatch.setattr(collect, "_state", {"fit": [], "evaluate": [], "predict": [],
                                            "first_step": None})
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.setattr(sys, "path", list(sys.path))
    testing.clear()
    try:
        collect.main([path])
        return collect.report()
    finally:
        testing.clear()


def test_collects_history_evaluate_records_and_timings(monkeypatch):
    report = _collect_in_process(monkeypatch, TINY)
    assert report["backend"] == kfront.backend.backend()
    (fit,), (evaluation,) = report["fit"], report["evaluate"]
    assert sorted(fit["history"]) == ["accuracy", "loss"] and len(fit["history"]["loss"]) == 2
    assert fit["steps"] == 8 and fit["last_step_end"] >= fit["first_step_end"]
    assert sorted(evaluation["results"]) == ["accuracy", "loss"]
    # The evaluate result is the model's own: the last epoch's weights on the same data.
    assert 0 < evaluation["results"]["loss"] < 1
    probs = testing.values.decode(report["records"]["probs"])
    assert probs.shape == (4, 2)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert len(report["predict"]) == 1 and report["peak_memory_mib"] > 10


def test_table_and_verdict_name_the_value_that_differs(monkeypatch):
    report = _collect_in_process(monkeypatch, TINY)
    other = copy.deepcopy(report)
    other["evaluate"][0]["results"]["loss"] += 1e-3
    reports = {"one": dict(report, returncode=0, wall_s=1.0),
               "two": dict(other, returncode=0, wall_s=2.0)}
    rows = compare.compare_rows(compare.value_rows(reports), ["one", "two"], 1e-5)
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {"fit[0].loss", "fit[0].accuracy", "evaluate[0].loss",
                            "evaluate[0].accuracy", "probs"}
    assert [r["name"] for r in rows if r["status"] != "ok"] == ["evaluate[0].loss"]
    assert by_name["evaluate[0].loss"]["max_abs_diff"] == pytest.approx(1e-3, rel=1e-6)
    table = compare.format_table("tiny.py", reports, rows, compare.timing_rows(reports), 1e-5)
    line = [ln for ln in table.splitlines() if ln.startswith("evaluate[0].loss")][0]
    assert "1.00e-03" in line and "DIFFERS (one vs two: 1 of 1 element(s) differ" in line
    assert "fit[0].loss" in table and "(2 ep)" in table and "[4x2]" in table
    for label in ("time to first step (s)", "step time after the first (ms)",
                  "peak memory (MiB)"):
        assert label in table


def _cli(*args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run([sys.executable, "-m", "kfront", "compare", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_command_prints_the_table_and_fails_naming_the_divergent_value():
    # One run for both checks: the script's own argument adds a backend-dependent record.
    proc = _cli(TINY, "--diverge")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    header = [ln for ln in lines if ln.startswith("value ")][0]
    for name in kfront.config.installed_backends():
        assert name in header
    for value in ("fit[0].loss", "fit[0].accuracy", "evaluate[0].loss", "probs"):
        row = [ln for ln in lines if ln.startswith(value + " ")][0]
        assert "DIFFERS" not in row, row
    assert "DIFFERS" in [ln for ln in lines if ln.startswith("engine_number ")][0]
    assert "peak memory (MiB)" in proc.stdout
    assert "values differ between backends beyond tolerance 1e-05: engine_number" in \
        proc.stderr
