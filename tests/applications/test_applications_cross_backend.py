"""A model zoo model saved by kfront on one engine loads on another with equal predictions
(the file is written in a subprocess running a different KFRONT_BACKEND)."""
import os
import subprocess
import sys
import textwrap

import numpy as np

import kfront

_WRITER = textwrap.dedent("""
    import sys
    import numpy as np
    import kfront
    from kfront.applications import mobilenet_v3
    kfront.utils.set_random_seed(0)
    model = mobilenet_v3.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), alpha=0.75,
                                          classes=10, classifier_activation=None)
    # Fresh BatchNormalization statistics are an identity and the logits vanish; random
    # ones make the predictions worth comparing.
    rng = np.random.RandomState(0)
    for layer in model.layers:
        if isinstance(layer, kfront.layers.BatchNormalization):
            n = layer.gamma.shape[0]
            layer.set_weights([rng.uniform(0.5, 1.5, n), rng.normal(0, 0.2, n),
                               rng.normal(0, 0.2, n), rng.uniform(0.5, 1.5, n)])
    images = np.random.RandomState(1).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    np.save(sys.argv[2], np.asarray(model.predict(images, verbose=0)))
    np.save(sys.argv[3], images)
    model.save(sys.argv[1])
""")


def test_mobilenet_v3_saved_on_one_engine_loads_on_another(tmp_path):
    other = {"torch": "jax", "jax": "torch", "tensorflow": "torch"}[kfront.backend.backend()]
    path, preds, images = (str(tmp_path / name) for name in ("m.kfront", "p.npy", "x.npy"))
    env = dict(os.environ, KFRONT_BACKEND=other, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", _WRITER, path, preds, images], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    model = kfront.models.load_model(path)
    assert model.name == "MobileNetV3Small"
    expected = np.load(preds)
    assert np.ptp(expected) > 0.1  # logits that differ, so the comparison means something
    np.testing.assert_allclose(model.predict(np.load(images), verbose=0), expected,
                               rtol=1e-4, atol=1e-4)
