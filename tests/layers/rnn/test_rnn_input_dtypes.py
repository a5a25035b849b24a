"""One-hot bool (and int) sequences into recurrent layers compute in floats, as in Keras,
on the engines' fused LSTM/GRU kernels too."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

SEQ = np.random.default_rng(0).random((4, 5, 6)) > 0.5


@pytest.mark.parametrize("cls", [layers.LSTM, layers.GRU, layers.SimpleRNN])
@pytest.mark.parametrize("dtype", ["bool", "int32"])
def test_bool_and_int_sequences_equal_their_float_values(cls, dtype):
    layer = cls(3, return_sequences=True)
    expected = ops.convert_to_numpy(layer(SEQ.astype("float32")))
    got = ops.convert_to_numpy(layer(SEQ.astype(dtype)))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


def test_bool_input_trains_a_compiled_lstm():
    model = keras.Sequential([keras.Input((5, 6), dtype="bool"), layers.LSTM(3),
                              layers.Dense(1)])
    model.compile("sgd", "mse")
    logs = model.fit(SEQ, np.ones((4, 1)), epochs=2, verbose=0).history
    assert np.isfinite(logs["loss"]).all()
    np.testing.assert_allclose(model.predict(SEQ, verbose=0),
                               model.predict(SEQ.astype("float32"), verbose=0), rtol=1e-6)
