"""examples/plot_training.py trains, then writes the history plot, the model plot and the
CSV log."""
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))
import example_runner  # noqa: E402


def test_plot_training_example(tmp_path):
    pytest.importorskip("matplotlib")
    Image = pytest.importorskip("PIL.Image")
    values, _ = example_runner.run("plot_training.py", tmp_path)
    assert float(values["test_accuracy"]) >= 0.9
    for name in ("history.png", "model.png"):
        with Image.open(tmp_path / name) as img:
            pixels = np.asarray(img.convert("L"))
        assert min(pixels.shape) > 200 and (pixels < 100).mean() > 0.005, name
    rows = (tmp_path / "training.csv").read_text().splitlines()
    assert rows[0].split(",")[0] == "epoch" and len(rows) == 13
