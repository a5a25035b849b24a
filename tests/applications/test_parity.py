"""Each application family against Keras 3: the same layer names and weight shapes, and,
with Keras's weights loaded from either file layout, the same predictions (softmax within
1e-4, the same top-5)."""
import numpy as np
import pytest

import kfront
from keras_apps import keras_application, write

# (constructor, the smallest input Keras accepts, marks)
CASES = [
    ("ResNet50", (32, 32, 3), ()),  # branching: checks Keras's layer order
    ("DenseNet121", (32, 32, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("VGG16", (32, 32, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("VGG19", (32, 32, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("ResNet101", (32, 32, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("ResNet152", (32, 32, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("ResNet50V2", (32, 32, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("ResNet101V2", (32, 32, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("ResNet152V2", (32, 32, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("InceptionV3", (75, 75, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("InceptionResNetV2", (75, 75, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("Xception", (71, 71, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("DenseNet169", (32, 32, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
    ("DenseNet201", (32, 32, 3), (pytest.mark.slow, pytest.mark.sampled("applications"))),
]


def _predict(model, images):
    return kfront.ops.convert_to_numpy(model(images, training=False))


def _assert_same_predictions(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-4)
    top5 = np.argsort(-expected, axis=-1, kind="stable")[:, :5]
    assert (np.argsort(-actual, axis=-1, kind="stable")[:, :5] == top5).all()


@pytest.mark.parametrize("ctor,shape", [pytest.param(c, s, marks=m, id=c)
                                        for c, s, m in CASES])
def test_matches_keras(ctor, shape, tmp_path):
    ref = keras_application(ctor, shape)
    build = getattr(kfront.applications, ctor)
    legacy = write(tmp_path, ref, "weights_legacy", f"{ctor}.h5")
    kfront.backend.clear_session()
    # weights=<path> of a Keras 2 layout file, as the published ImageNet files are.
    model = build(weights=legacy, input_shape=shape)
    assert [layer.name for layer in model.layers] == ref["layer_names"].tolist()
    assert [str(tuple(w.shape)) for w in model.weights] == ref["weight_shapes"].tolist()
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == ref["trainable"]
    assert sum(int(np.prod(w.shape)) for w in model.non_trainable_weights) == \
        ref["non_trainable"]
    _assert_same_predictions(_predict(model, ref["images"]), ref["predictions"])
    # Keras 3's .weights.h5 into a model built without weights.
    kfront.backend.clear_session()
    model = build(weights=None, input_shape=shape)
    model.load_weights(write(tmp_path, ref, "weights_v3", f"{ctor}.weights.h5"))
    _assert_same_predictions(_predict(model, ref["images"]), ref["predictions"])
