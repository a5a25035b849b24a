"""distribute_tensor: symbolic tensors pass through, layouts are checked, jax places (and
in a compiled step constrains) the tensor; torch/TensorFlow keep unsplit layouts and refuse
real splits with a clear error."""
import numpy as np
import pytest

import kfront as keras
from kfront import distribution as D


def _mesh():
    return D.DeviceMesh((1,), ["batch"], devices=D.list_devices()[:1])


def test_symbolic_tensors_pass_through():
    x = keras.Input((3,))
    assert D.distribute_tensor(x, "anything") is x


def test_layout_is_checked():
    x = keras.ops.ones((4, 3))
    with pytest.raises(ValueError, match="`layout` must be a kfront.distribution.TensorLayout"):
        D.distribute_tensor(x, ("batch", None))
    with pytest.raises(ValueError, match="the layout has no device mesh"):
        D.distribute_tensor(x, D.TensorLayout(("batch", None)))
    with pytest.raises(ValueError, match=r"1 axes \('batch',\) for a tensor of rank 2"):
        D.distribute_tensor(x, D.TensorLayout(("batch",), _mesh()))


def test_values_are_kept_under_a_layout():
    x = np.arange(12, dtype="float32").reshape(4, 3)
    out = D.distribute_tensor(keras.ops.convert_to_tensor(x),
                              D.TensorLayout(("batch", None), _mesh()))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(out), x)
    if keras.backend.backend() == "jax":
        assert tuple(out.sharding.spec) == ("batch", None)
        import jax
        layout = D.TensorLayout((None, "batch"), _mesh())
        traced = jax.jit(lambda t: D.distribute_tensor(t * 2.0, layout))(x)
        np.testing.assert_array_equal(np.asarray(traced), x * 2.0)


def test_splitting_needs_jax():
    if keras.backend.backend() == "jax":
        pytest.skip("jax shards; covered by the multi-device jax distribution tests")
    mesh = D.DeviceMesh((2,), ["batch"], devices=["cpu:0", "cpu:1"])
    with pytest.raises(NotImplementedError, match=r"splitting a tensor over mesh axes "
                                                  r"\['batch'\] needs the jax backend"):
        D.distribute_tensor(keras.ops.ones((4, 3)), D.TensorLayout(("batch", None), mesh))
    x = keras.ops.ones((4, 3))
    assert D.distribute_tensor(x, D.TensorLayout((None, None), mesh)) is x
