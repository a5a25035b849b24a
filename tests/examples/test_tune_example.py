"""examples/tune_digits.py tunes the digits MLP and trains the best setting."""
import os
import subprocess
import sys

import pytest

from kfront import config

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


def test_tune_digits_example(tmp_path):
    pytest.importorskip("optuna")
    env = dict(os.environ, KFRONT_BACKEND=config.backend(), OMP_NUM_THREADS="1",
               TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, os.path.join(EXAMPLES, "tune_digits.py"),
                           str(tmp_path)], env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert proc.stdout.count("Trial 000") == 6 and "Search space summary" in proc.stdout
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("backend=")][-1]
    values = dict(kv.split("=") for kv in line.split())
    assert values["backend"] == config.backend()
    assert float(values["test_accuracy"]) >= 0.9
    assert 16 <= int(values["units"]) <= 128
