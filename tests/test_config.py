"""kfront.config's Keras 3 switches: interactive logging, fit caps, unsafe deserialization,
set_backend, flash attention / traceback filtering / NNX flags, the global dtype policy."""
import logging

import numpy as np
import pytest

import kfront as keras
from kfront import config
from kfront.utils.progbar import Progbar


@pytest.fixture(autouse=True)
def _restore_flags():
    saved = dict(config._flags)
    yield
    config._flags.update(saved)
    keras.config.enable_interactive_logging()
    from kfront.saving import serialization
    serialization.set_global_unsafe(False)
    keras.mixed_precision.set_global_policy(None)


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def _data(n=40):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")


def test_the_names_keras_config_has_behave_as_getters_and_setters():
    assert keras.config.is_interactive_logging_enabled() is True
    keras.config.disable_interactive_logging()
    assert keras.config.is_interactive_logging_enabled() is False
    assert keras.utils.is_interactive_logging_enabled() is False
    keras.utils.enable_interactive_logging()
    assert keras.config.is_interactive_logging_enabled() is True
    assert keras.config.is_traceback_filtering_enabled() is True
    keras.config.disable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is False
    keras.config.enable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is True
    assert keras.config.is_flash_attention_enabled() is None
    with pytest.warns(UserWarning, match="attention ops do not read it yet"):
        keras.config.disable_flash_attention()
    assert keras.config.is_flash_attention_enabled() is False
    keras.config.enable_flash_attention()
    assert keras.config.is_flash_attention_enabled() is None
    assert keras.config.is_nnx_enabled() is False


def test_progbar_writes_plain_log_lines_when_interactive_logging_is_off(capsys, caplog):
    keras.config.disable_interactive_logging()
    with caplog.at_level(logging.INFO, logger="kfront"):
        bar = Progbar(target=4, interval=0)
        for step in range(1, 5):
            bar.update(step, [("loss", 0.5)])
        Progbar(target=2, verbose=2).update(2, [("loss", 1.0)])
    assert capsys.readouterr().out == ""
    messages = [r.getMessage() for r in caplog.records if r.name == "kfront"]
    assert len(messages) == 2
    assert messages[0].startswith("4/4 ━━━━") and messages[0].endswith(" - loss: 0.5000")
    assert messages[1].startswith("2/2 - ") and messages[1].endswith(" - loss: 1.0000")
    assert not any("\x1b" in m or "\r" in m for m in messages)


def test_fit_epoch_lines_go_to_the_logger_when_interactive_logging_is_off(capsys, caplog):
    x, y = _data()
    keras.config.disable_interactive_logging()
    with caplog.at_level(logging.INFO, logger="kfront"):
        _model().fit(x, y, epochs=2, batch_size=20, verbose=1)
    messages = [r.getMessage() for r in caplog.records if r.name == "kfront"]
    assert "Epoch 1/2" in messages and "Epoch 2/2" in messages
    assert "Epoch" not in capsys.readouterr().out


class _CountBatches(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.train = self.test = 0

    def on_train_batch_end(self, batch, logs=None):
        self.train += 1

    def on_test_batch_end(self, batch, logs=None):
        self.test += 1


def test_max_epochs_and_max_steps_per_epoch_cap_fit_evaluate_predict():
    x, y = _data(40)
    keras.config.set_max_epochs(2)
    keras.config.set_max_steps_per_epoch(3)
    assert keras.config.max_epochs() == 2 and keras.config.max_steps_per_epoch() == 3
    model, counter = _model(), _CountBatches()
    with pytest.warns(UserWarning) as record:
        history = model.fit(x, y, epochs=5, batch_size=4, verbose=0, callbacks=[counter])
    messages = [str(w.message) for w in record]
    assert any("Limiting epochs to 2" in m for m in messages)
    assert any("Limiting steps_per_epoch to 3" in m for m in messages)
    assert len(history.history["loss"]) == 2
    assert counter.train == 2 * 3
    counter = _CountBatches()
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[counter])
    assert counter.test == 3
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        assert model.predict(x, batch_size=4, verbose=0).shape == (12, 1)
    keras.config.set_max_epochs(None)
    keras.config.set_max_steps_per_epoch(None)
    assert len(model.fit(x, y, epochs=3, batch_size=40, verbose=0).history["loss"]) == 3


@pytest.mark.parametrize("bad", [0, -1, 2.5, "3", True])
def test_caps_must_be_positive_integers(bad):
    with pytest.raises(ValueError, match=r"`max_epochs` must be a positive integer or None"):
        keras.config.set_max_epochs(bad)
    with pytest.raises(ValueError, match=r"`max_steps_per_epoch` must be a positive integer"):
        keras.config.set_max_steps_per_epoch(bad)


def test_caps_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("KFRONT_MAX_EPOCHS", "4")
    monkeypatch.setenv("KFRONT_MAX_STEPS_PER_EPOCH", "7")
    config._read_env_caps()
    assert keras.config.max_epochs() == 4 and keras.config.max_steps_per_epoch() == 7
    monkeypatch.setenv("KFRONT_MAX_EPOCHS", "many")
    with pytest.raises(ValueError, match="KFRONT_MAX_EPOCHS must be a positive integer"):
        config._read_env_caps()


def test_enable_unsafe_deserialization_turns_safe_mode_off_globally(tmp_path):
    x, _ = _data(4)
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Lambda(lambda t: t * 2.0 + 1.0)(inp))
    model.save(tmp_path / "m.kfront")
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.load_model(tmp_path / "m.kfront")
    keras.config.enable_unsafe_deserialization()
    with pytest.warns(UserWarning, match="safe_mode=False"):
        loaded = keras.models.load_model(tmp_path / "m.kfront")  # safe_mode=True by default
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(x)), x * 2.0 + 1.0,
                               rtol=1e-6)


def test_set_backend_accepts_only_the_running_backend():
    keras.config.set_backend(keras.config.backend())  # a no-op
    other = next(b for b in ("torch", "jax", "tensorflow") if b != keras.config.backend())
    with pytest.raises(RuntimeError, match=f"KFRONT_BACKEND={other} before `import kfront`"):
        keras.config.set_backend(other)
    with pytest.raises(ValueError, match="unknown backend 'theano'"):
        keras.config.set_backend("theano")


def test_dtype_policy_is_the_global_policy():
    assert keras.config.dtype_policy().name == "float32"
    keras.config.set_dtype_policy("mixed_bfloat16")
    assert keras.config.dtype_policy() is keras.mixed_precision.global_policy()
    assert keras.config.dtype_policy().compute_dtype == "bfloat16"
    assert keras.layers.Dense(2).dtype_policy.name == "mixed_bfloat16"
