"""Keras 2 code as tutorials print it: ``from kfront import backend as K`` in a custom loss
and metric, ``np_utils.to_categorical``, ``layers.merge.concatenate``,
``Embedding(input_length=...)`` and ``input_dim=``, each deprecated argument warned about
with Keras 3's words."""
import numpy as np
import pytest

import kfront as keras
from kfront import backend as K
from kfront.layers import Dense, Embedding, Flatten, Input
from kfront.layers.merge import concatenate
from kfront.models import Model
from kfront.utils import np_utils


def root_mean_squared_error(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))


def top_class_rate(y_true, y_pred):
    return K.mean(K.cast(K.equal(K.argmax(y_true), K.argmax(y_pred)), K.floatx()))


def test_keras2_script_runs_with_its_warnings():
    rng = np.random.default_rng(0)
    words = rng.integers(0, 20, size=(128, 5))
    numbers = rng.normal(size=(128, 3)).astype("float32")
    labels = (words[:, 0] % 3 + (numbers[:, 0] > 0)) % 3
    y = np_utils.to_categorical(labels, 3)
    assert y.shape == (128, 3) and y.dtype == np.float32

    with pytest.warns(UserWarning, match="`input_length` is deprecated. Just remove it"):
        embedding = Embedding(20, 4, input_length=5)
    with pytest.warns(UserWarning, match=r"Do not pass an `input_shape`/`input_dim`"):
        dense_in = Dense(8, input_dim=3, activation="relu")
    text_in = Input(shape=(5,))
    number_in = Input(shape=(3,))
    merged = concatenate([Flatten()(embedding(text_in)), dense_in(number_in)])
    out = Dense(3, activation="softmax")(merged)
    model = Model(inputs=[text_in, number_in], outputs=out)
    model.compile(loss=root_mean_squared_error, metrics=[top_class_rate],
                  optimizer=keras.optimizers.Adam(learning_rate=0.02))
    history = model.fit([words, numbers], y, epochs=12, batch_size=32, verbose=0).history
    assert history["loss"][-1] < 0.6 * history["loss"][0]
    assert history["top_class_rate"][-1] > 0.65
    # The loss is the NumPy formula on the model's own predictions.
    pred = model.predict([words, numbers], verbose=0)
    want = np.sqrt(np.mean((pred - y) ** 2, axis=-1)).mean()
    got_loss, got_rate = model.evaluate([words, numbers], y, batch_size=128, verbose=0)
    np.testing.assert_allclose(got_loss, want, rtol=1e-4)
    np.testing.assert_allclose(got_rate, np.mean(pred.argmax(-1) == labels), rtol=1e-6)
