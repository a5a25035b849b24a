"""An adaptable Normalization holds Keras's three variables (mean, variance and the unused
count), so weight files move between the two libraries."""
import numpy as np
import pytest

import kfront


def test_normalization_variables_and_keras_file(tmp_path):
    keras = pytest.importorskip("keras")
    theirs = keras.layers.Normalization(axis=-1)
    theirs.build((None, 3))
    theirs.adapt(np.array([[0.0, 1.0, 2.0], [2.0, 5.0, 4.0]], "float32"))
    ours = kfront.layers.Normalization(axis=-1)
    ours.build((None, 3))
    assert [(v.shape, str(v.dtype)) for v in ours.weights] == \
        [((3,), "float32"), ((3,), "float32"), ((), "int64")]
    path = str(tmp_path / "n.weights.h5")
    keras.Sequential([keras.Input((3,)), theirs]).save_weights(path)
    model = kfront.Sequential([kfront.Input((3,)), ours])
    model.load_weights(path)
    x = np.array([[1.0, 3.0, 3.0]], "float32")
    np.testing.assert_allclose(kfront.ops.convert_to_numpy(model(x)), np.asarray(theirs(x)),
                               atol=1e-6)
