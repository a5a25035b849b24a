"""examples/tune_digits.py tunes the digits MLP and trains the best setting."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import example_runner  # noqa: E402


@pytest.mark.sampled_elsewhere("process-runs")
def test_tune_digits_example(tmp_path):
    pytest.importorskip("optuna")
    values, stdout = example_runner.run("tune_digits.py", tmp_path)
    assert stdout.count("Trial 000") == 6 and "Search space summary" in stdout
    assert float(values["test_accuracy"]) >= 0.9
    assert 16 <= int(values["units"]) <= 128
