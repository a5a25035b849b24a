"""save, load, fit one more epoch == fit one more epoch without the round trip."""
import numpy as np
import pytest

import kfront as keras
from kfront.saving import register_serializable


@register_serializable(package="kfront_tests")
class HalvingSchedule:
    """lr * 0.5 ** (step / every): a learning-rate schedule of the iteration count."""

    def __init__(self, initial=0.01, every=4):
        self.initial, self.every = initial, every

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        return self.initial * keras.ops.power(0.5, step / self.every)

    def get_config(self):
        return {"initial": self.initial, "every": self.every}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _model():
    inp = keras.Input((4,))
    h = keras.layers.Dense(8)(inp)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Dropout(0.3, seed=7)(h)
    model = keras.Model(inp, keras.layers.Dense(2)(h))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=HalvingSchedule()),
                  loss="mse", metrics=["mae"])
    return model


@pytest.mark.parametrize("ext", [".kfront", ".h5"])
def test_resume_training_exactly(tmp_path, ext):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = rng.normal(size=(32, 2)).astype("float32")
    model = _model()
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    path = tmp_path / f"m{ext}"
    model.save(path)
    if ext == ".h5":
        # The legacy format keeps no optimizer state: only weights and BatchNorm statistics
        # are compared, after a round trip with no training.
        loaded = keras.models.load_model(path)
        for a, b in zip(loaded.get_weights(), model.get_weights()):
            np.testing.assert_array_equal(a, b)
        return
    loaded = keras.models.load_model(path)
    assert int(loaded.optimizer.iterations.numpy()) == 4
    assert isinstance(loaded.optimizer._schedule, HalvingSchedule)
    h1 = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0).history
    h2 = loaded.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0).history
    np.testing.assert_allclose(h2["loss"], h1["loss"], rtol=1e-5)
    np.testing.assert_allclose(h2["mae"], h1["mae"], rtol=1e-5)
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-7)
    bn = [layer for layer in loaded.layers if isinstance(layer, keras.layers.BatchNormalization)]
    assert bn and not np.allclose(bn[0].moving_mean.numpy(), 0.0)
