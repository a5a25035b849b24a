"""The scripts in examples/ run on the current backend and reach high test accuracy."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import example_runner  # noqa: E402


def run_example(name):
    return example_runner.run(name)[0]


# The same training runs on each engine: in full where slow checks run, one a day on the
# others (tests/conftest.py), so the three-backend suite stays short.
@pytest.mark.sampled_elsewhere("examples")
@pytest.mark.parametrize("script, keys", [
    ("digits_mlp.py", ["test_accuracy"]),
    ("functional_two_inputs.py", ["test_accuracy", "even_accuracy"]),
    ("subclassed_model.py", ["test_accuracy"]),
    ("custom_train_step.py", ["test_accuracy", "loop_accuracy"]),
    ("lstm_text_classifier.py", ["test_accuracy"]),
    ("convnet_digits.py", ["test_accuracy"]),
    ("image_augmentation.py", ["test_accuracy", "layers_accuracy"]),
    ("text_pipeline.py", ["vectorization_accuracy", "tokenizer_accuracy"]),
    ("audio_classification.py", ["val_accuracy"]),
])
def test_example_trains_to_high_accuracy(script, keys):
    values = run_example(script)
    for key in keys:
        assert float(values[key]) >= 0.9, f"{script}: {key}={values[key]}"


@pytest.mark.slow  # trains, then exports through a second engine's process
def test_serve_example_answers_as_predict():
    # Trains, exports to ONNX and a SavedModel, serves both; answers equal model.predict.
    values = run_example("serve.py")
    assert float(values["onnx_max_diff"]) <= 1e-5
    assert float(values["saved_model_max_diff"]) <= 1e-5
    assert float(values["served_accuracy"]) >= 0.9


@pytest.mark.slow
def test_transfer_learning_example_falls_back_to_random_weights_offline(monkeypatch,
                                                                      tmp_path):
    import socket
    with socket.socket() as s:  # a loopback port nobody listens on: "the network is down"
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("KFRONT_APPLICATIONS_BASE_URL", f"http://127.0.0.1:{port}/")
    monkeypatch.setenv("KFRONT_HOME", str(tmp_path))
    values, stdout = example_runner.run("transfer_learning.py")
    assert "The ImageNet weights could not be downloaded (is the network unreachable?)" \
        in stdout and "random weights instead" in stdout
    assert float(values["head_accuracy"]) >= 0.9
    assert float(values["tuned_accuracy"]) >= 0.9
