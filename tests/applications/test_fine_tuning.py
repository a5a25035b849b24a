"""Transfer learning with an application model as in Keras's guide: a frozen base (its
BatchNormalization in inference mode) under a new head, then the top blocks unfrozen; and
``summary()``'s parameter counts against Keras for ResNet50."""
import re

import numpy as np
import pytest

import kfront
from keras_reference import keras_numbers

_KERAS_COUNTS = """
def counts(model):
    text = []
    model.summary(print_fn=lambda line, *a, **k: text.append(line))
    text = "\\n".join(text)
    return [int(re.search(p + r" params: ([\\d,]+)", text).group(1).replace(",", ""))
            for p in ("Total", "Trainable", "Non-trainable")]
import re
base = keras.applications.ResNet50(weights=None)
out["full"] = counts(base)
base.trainable = False
out["frozen"] = counts(base)
features = keras.applications.ResNet50(weights=None, include_top=False,
                                       input_shape=(32, 32, 3))
features.trainable = False
inputs = keras.Input((32, 32, 3))
x = features(inputs, training=False)
x = keras.layers.GlobalAveragePooling2D()(x)
outputs = keras.layers.Dense(3)(x)
head = keras.Model(inputs, outputs)
out["head_frozen"] = counts(head)
features.trainable = True
for layer in features.layers[:-10]:
    layer.trainable = False
out["head_top_unfrozen"] = counts(head)
"""


def _counts(model):
    lines = []
    model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    text = "\n".join(lines)
    return [int(re.search(p + r" params: ([\d,]+)", text).group(1).replace(",", ""))
            for p in ("Total", "Trainable", "Non-trainable")]


def _transfer_model():
    kfront.backend.clear_session()
    kfront.utils.set_random_seed(1)
    base = kfront.applications.ResNet50(weights=None, include_top=False,
                                        input_shape=(32, 32, 3))
    base.trainable = False
    inputs = kfront.Input((32, 32, 3))
    x = base(inputs, training=False)
    x = kfront.layers.GlobalAveragePooling2D()(x)
    outputs = kfront.layers.Dense(3)(x)
    return base, kfront.Model(inputs, outputs)


@pytest.mark.slow
@pytest.mark.sampled("applications")
def test_summary_counts_match_keras_for_resnet50():
    expected = keras_numbers(_KERAS_COUNTS)
    kfront.backend.clear_session()
    full = kfront.applications.ResNet50(weights=None)
    assert _counts(full) == expected["full"].tolist() == [25636712, 25583592, 53120]
    full.trainable = False
    assert _counts(full) == expected["frozen"].tolist()
    base, model = _transfer_model()
    assert _counts(model) == expected["head_frozen"].tolist()
    base.trainable = True
    for layer in base.layers[:-10]:
        layer.trainable = False
    assert _counts(model) == expected["head_top_unfrozen"].tolist()


def _snapshot(layers):
    return {(layer.name, i): np.array(w.numpy()) for layer in layers
            for i, w in enumerate(layer.weights)}


def _changed(before, layers):
    after = _snapshot(layers)
    return {key for key in before if not np.array_equal(before[key], after[key])}


def test_a_frozen_base_has_no_trainable_weights_and_normalizes_in_inference_mode():
    base, model = _transfer_model()
    assert base.trainable_weights == [] and len(model.trainable_weights) == 2
    x = np.random.default_rng(0).uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    # A frozen BatchNormalization uses its moving statistics even in training mode.
    np.testing.assert_allclose(kfront.ops.convert_to_numpy(base(x, training=True)),
                               kfront.ops.convert_to_numpy(base(x, training=False)),
                               rtol=1e-5, atol=1e-5)
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith("conv5_block3")
    names = sorted(w.path for w in base.trainable_weights)
    assert len(names) == 12 and all(n.startswith("conv5_block3") for n in names)
    assert not np.allclose(kfront.ops.convert_to_numpy(base(x, training=True)),
                           kfront.ops.convert_to_numpy(base(x, training=False)), atol=1e-5)


@pytest.mark.slow
@pytest.mark.sampled("applications")
def test_frozen_base_then_top_blocks_fine_tune():
    base, model = _transfer_model()
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (8, 32, 32, 3)).astype("float32")
    y = rng.integers(0, 3, 8)
    model.compile(optimizer=kfront.optimizers.SGD(0.1),
                  loss=kfront.losses.SparseCategoricalCrossentropy(from_logits=True))
    base_before = _snapshot(base.layers)
    head = model.layers[-1]
    head_before = _snapshot([head])
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    # Nothing in the frozen base moves, BatchNormalization's statistics included.
    assert _changed(base_before, base.layers) == set()
    assert _changed(head_before, [head]) == {(head.name, 0), (head.name, 1)}
    # A frozen BatchNormalization normalizes with its moving statistics even when the
    # model is called in training mode (Keras 3's rule), so training=True changes nothing.
    np.testing.assert_allclose(kfront.ops.convert_to_numpy(base(x, training=True)),
                               kfront.ops.convert_to_numpy(base(x, training=False)),
                               rtol=1e-5, atol=1e-5)

    # Unfreeze the last block (conv5_block3: three convolutions, three normalizations).
    base.trainable = True
    top = [layer for layer in base.layers if layer.name.startswith("conv5_block3")]
    for layer in base.layers:
        layer.trainable = layer in top
    model.compile(optimizer=kfront.optimizers.SGD(0.1),
                  loss=kfront.losses.SparseCategoricalCrossentropy(from_logits=True))
    base_before = _snapshot(base.layers)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    changed = _changed(base_before, base.layers)
    expected = {(layer.name, i) for layer in top for i, w in enumerate(layer.weights)
                if w.trainable}
    # The base is called with training=False: its moving statistics stay put.
    assert changed == expected and len(expected) == 12
