"""``load_weights(skip_mismatch=...)`` and ``clone_model(input_tensors=...)``."""
import numpy as np
import pytest

import kfront as keras
from saving_models import call, data, functional_model


def _model(width):
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, name="a"),
                             keras.layers.Dense(width, name="b")], name="seq")


@pytest.mark.parametrize("suffix", [".weights.h5", ".kfront"])
def test_skip_mismatch_loads_matching_layers_and_warns(tmp_path, suffix):
    source = _model(2)
    path = tmp_path / f"m{suffix}"
    source.save_weights(path) if suffix == ".weights.h5" else source.save(path)
    target = _model(3)
    before = target.layers[1].kernel.numpy().copy()
    with pytest.raises(ValueError, match=r"weight mismatch at layer 'b'.*\(6, 3\).*\(6, 2\)"):
        target.load_weights(path)
    # The failed load changed nothing.
    np.testing.assert_array_equal(target.layers[1].kernel.numpy(), before)
    with pytest.warns(UserWarning, match="Skipping this layer"):
        target.load_weights(path, skip_mismatch=True)
    np.testing.assert_array_equal(target.layers[0].kernel.numpy(),
                                  source.layers[0].kernel.numpy())
    np.testing.assert_array_equal(target.layers[1].kernel.numpy(), before)


def test_skip_mismatch_on_keras2_h5_needs_by_name(tmp_path):
    source = _model(2)
    source.save(tmp_path / "m.h5")
    target = _model(3)
    with pytest.raises(ValueError, match="requires `by_name=True`"):
        target.load_weights(tmp_path / "m.h5", skip_mismatch=True)
    with pytest.warns(UserWarning, match="Skipping this layer"):
        target.load_weights(tmp_path / "m.h5", skip_mismatch=True, by_name=True)
    np.testing.assert_array_equal(target.layers[0].kernel.numpy(),
                                  source.layers[0].kernel.numpy())


def test_clone_functional_on_new_inputs():
    x, _ = data()
    model = functional_model()
    new_input = keras.Input((4,), name="fresh")
    clone = keras.models.clone_model(model, input_tensors=new_input)
    assert clone.inputs[0] is new_input
    assert [layer.name for layer in clone.layers][1:] == \
        [layer.name for layer in model.layers][1:]
    assert all(a is not b for a, b in zip(clone.weights, model.weights))
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(call(clone, x), call(model, x), rtol=1e-6)
    # A dict keyed by the model's input names works too.
    by_name = keras.models.clone_model(model, input_tensors={"x": keras.Input((4,))})
    assert len(by_name.weights) == len(model.weights)


def test_clone_functional_input_tensor_errors():
    model = functional_model()
    with pytest.raises(ValueError, match=r"expects shape \(None, 4\).*\(None, 5\)"):
        keras.models.clone_model(model, input_tensors=keras.Input((5,)))
    with pytest.raises(ValueError, match="made by `kfront.Input"):
        keras.models.clone_model(model, input_tensors=keras.layers.Dense(4)(keras.Input((4,))))
    with pytest.raises(ValueError, match="unknown inputs"):
        keras.models.clone_model(model, input_tensors={"nope": keras.Input((4,))})
    with pytest.raises(ValueError, match="has 1 input"):
        keras.models.clone_model(model, input_tensors=[keras.Input((4,)), keras.Input((4,))])
