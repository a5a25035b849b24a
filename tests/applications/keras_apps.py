"""Keras 3 application models as references: a randomly initialized model (with random
BatchNormalization statistics, so inference-mode normalization is exercised), its weights
in both file layouts, its layer names and its predictions on fixed random images.

Computed once in a Keras subprocess (``keras_reference.keras_numbers`` caches the result
for the other backends' runs).
"""
import numpy as np

from keras_reference import keras_numbers

_SCRIPT = """
import io, os, tempfile
import h5py
from keras.src.legacy.saving import legacy_h5_format
keras.backend.clear_session()
keras.utils.set_random_seed(7)
model = getattr(keras.applications, {ctor!r})(
    weights=None, input_shape={shape!r}, include_top={include_top!r}, classes={classes!r},
    pooling={pooling!r})
rng = np.random.default_rng(7)
for layer in model.layers:
    if isinstance(layer, keras.layers.BatchNormalization):
        for v in layer.weights:
            base = v.name.split("/")[-1]
            if base in ("gamma", "moving_variance"):
                v.assign(rng.uniform(0.5, 1.5, v.shape).astype("float32"))
            else:
                v.assign((0.1 * rng.standard_normal(v.shape)).astype("float32"))
images = rng.uniform(-1.0, 1.0, (2,) + {shape!r}).astype("float32")
out["images"] = images
out["predictions"] = model.predict(images, verbose=0)
out["layer_names"] = np.array([layer.name for layer in model.layers])
out["weight_shapes"] = np.array([str(tuple(w.shape)) for w in model.weights])
out["trainable"] = np.array(sum(int(np.prod(w.shape)) for w in model.trainable_weights))
out["non_trainable"] = np.array(
    sum(int(np.prod(w.shape)) for w in model.non_trainable_weights))
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.weights.h5")
    model.save_weights(path)
    out["weights_v3"] = np.frombuffer(open(path, "rb").read(), np.uint8)
    # The Keras 2 layout of the published ImageNet files.
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    out["weights_legacy"] = np.frombuffer(buffer.getvalue(), np.uint8)
"""


def keras_application(ctor, shape, include_top=True, classes=1000, pooling=None):
    """The Keras reference for ``keras.applications.<ctor>`` built with these arguments."""
    return keras_numbers(_SCRIPT.format(ctor=ctor, shape=tuple(shape), include_top=include_top,
                                        classes=classes, pooling=pooling))


def write(tmp_path, reference, key, filename):
    """Writes the weights file ``reference[key]`` to ``tmp_path / filename``."""
    path = tmp_path / filename
    path.write_bytes(np.asarray(reference[key]).tobytes())
    return str(path)
