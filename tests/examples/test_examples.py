"""The scripts in examples/ run on the current backend and reach high test accuracy."""
import os
import subprocess
import sys

import pytest

from kfront import config

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


def run_example(name, with_stdout=False):
    env = dict(os.environ, KFRONT_BACKEND=config.backend(), OMP_NUM_THREADS="1",
               TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, os.path.join(EXAMPLES, name)], env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("backend=")][-1]
    values = dict(kv.split("=") for kv in line.split())
    assert values["backend"] == config.backend()
    return (values, proc.stdout) if with_stdout else values


@pytest.mark.parametrize("script, keys", [
    ("digits_mlp.py", ["test_accuracy"]),
    ("functional_two_inputs.py", ["test_accuracy", "even_accuracy"]),
    ("subclassed_model.py", ["test_accuracy"]),
    ("custom_train_step.py", ["test_accuracy", "loop_accuracy"]),
    ("lstm_text_classifier.py", ["test_accuracy"]),
    ("convnet_digits.py", ["test_accuracy"]),
    ("image_augmentation.py", ["test_accuracy", "layers_accuracy"]),
    ("text_pipeline.py", ["vectorization_accuracy", "tokenizer_accuracy"]),
])
def test_example_trains_to_high_accuracy(script, keys):
    values = run_example(script)
    for key in keys:
        assert float(values[key]) >= 0.9, f"{script}: {key}={values[key]}"


@pytest.mark.slow
def test_transfer_learning_example_falls_back_to_random_weights_offline(monkeypatch,
                                                                      tmp_path):
    import socket
    with socket.socket() as s:  # a loopback port nobody listens on: "the network is down"
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("KFRONT_APPLICATIONS_BASE_URL", f"http://127.0.0.1:{port}/")
    monkeypatch.setenv("KFRONT_HOME", str(tmp_path))
    values, stdout = run_example("transfer_learning.py", with_stdout=True)
    assert "The ImageNet weights could not be downloaded (is the network unreachable?)" \
        in stdout and "random weights instead" in stdout
    assert float(values["head_accuracy"]) >= 0.9
    assert float(values["tuned_accuracy"]) >= 0.9
