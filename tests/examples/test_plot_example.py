"""examples/plot_training.py trains, then writes the history plot, the model plot and the
CSV log."""
import os
import subprocess
import sys

import numpy as np
import pytest

from kfront import config

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


def test_plot_training_example(tmp_path):
    pytest.importorskip("matplotlib")
    Image = pytest.importorskip("PIL.Image")
    env = dict(os.environ, KFRONT_BACKEND=config.backend(), OMP_NUM_THREADS="1",
               TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, os.path.join(EXAMPLES, "plot_training.py"),
                           str(tmp_path)], env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("backend=")][-1]
    values = dict(kv.split("=") for kv in line.split())
    assert values["backend"] == config.backend()
    assert float(values["test_accuracy"]) >= 0.9
    for name in ("history.png", "model.png"):
        with Image.open(tmp_path / name) as img:
            pixels = np.asarray(img.convert("L"))
        assert min(pixels.shape) > 200 and (pixels < 100).mean() > 0.005, name
    rows = (tmp_path / "training.csv").read_text().splitlines()
    assert rows[0].split(",")[0] == "epoch" and len(rows) == 13
