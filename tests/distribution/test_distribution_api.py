"""The engine-free part of ``kfront.distribution``: meshes, layouts, layout maps, and the
errors a user gets for a mis-built one."""
import numpy as np
import pytest

import kfront as keras
from kfront import distribution as D


def _mesh(shape=(2, 2), names=("batch", "model")):
    return D.DeviceMesh(shape, list(names), devices=[f"cpu:{i}" for i in range(int(np.prod(shape)))])


def test_mesh_shape_must_match_device_count():
    with pytest.raises(ValueError, match=r"shape \(2, 4\) needs 8 devices, but 4 are given"):
        D.DeviceMesh((2, 4), ["batch", "model"], devices=["cpu:0", "cpu:1", "cpu:2", "cpu:3"])
    with pytest.raises(ValueError, match="same length"):
        D.DeviceMesh((4,), ["batch", "model"], devices=["cpu:0"] * 4)
    with pytest.raises(ValueError, match="cannot be empty"):
        D.DeviceMesh((), [])
    mesh = _mesh()
    assert mesh.shape == (2, 2) and mesh.axis_names == ["batch", "model"]
    assert mesh.devices.shape == (2, 2) and mesh.devices[1, 0] == "cpu:2"


def test_layout_axes_must_be_mesh_axes():
    mesh = _mesh()
    with pytest.raises(ValueError, match=r"\['data'\] are not axes of the mesh"):
        D.TensorLayout(("data", None), mesh)
    assert D.TensorLayout((None, "model"), mesh).axes == (None, "model")


def test_layout_map_matches_exact_then_regex():
    mesh = _mesh()
    layout_map = D.LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    layout_map["head/bias"] = ("model",)
    assert layout_map["dense_3/kernel"].axes == (None, "model")
    assert layout_map["dense_3/kernel"].device_mesh is mesh
    assert layout_map["head/bias"].axes == ("model",)
    assert layout_map["conv2d/kernel"] is None
    layout_map[".*kernel"] = (None, None)
    with pytest.raises(ValueError, match="matches several layout keys"):
        layout_map["dense_3/kernel"]
    with pytest.raises(ValueError, match="already set"):
        layout_map["head/bias"] = ("model",)
    with pytest.raises(ValueError, match="must be a TensorLayout"):
        layout_map["x"] = "model"
    assert len(layout_map) == 3 and list(layout_map)[0] == ".*dense.*kernel"


def test_data_and_model_parallel_layouts():
    mesh = _mesh()
    data_parallel = D.DataParallel(devices=["cpu:0", "cpu:1"])
    assert data_parallel.num_model_replicas == 2 and data_parallel.batch_dim_name == "batch"
    assert data_parallel.get_data_layout((8, 3)).axes == ("batch", None)
    variable = keras.Variable(np.zeros((4, 6), "float32"), name="kernel", path="dense/kernel")
    assert data_parallel.get_variable_layout(variable).axes == (None, None)
    layout_map = D.LayoutMap(mesh)
    layout_map["dense/kernel"] = (None, "model")
    model_parallel = D.ModelParallel(layout_map=layout_map)
    assert model_parallel.num_model_replicas == 2
    assert model_parallel.get_variable_layout(variable).axes == (None, "model")
    with pytest.raises(ValueError, match="must be a LayoutMap"):
        D.ModelParallel(layout_map={"dense/kernel": (None, "model")})
    with pytest.raises(ValueError, match="pass `device_mesh` or `devices`, not both"):
        D.DataParallel(device_mesh=mesh, devices=["cpu:0"])


def test_model_parallel_refuses_unknown_paths_and_uneven_splits():
    mesh = _mesh()
    layout_map = D.LayoutMap(mesh)
    layout_map["decoder/kernel"] = (None, "model")
    variables = [keras.Variable(np.zeros((4, 6), "float32"), path="dense/kernel")]
    with pytest.raises(ValueError, match=r"'decoder/kernel' matches no variable.*dense/kernel"):
        D.ModelParallel(layout_map=layout_map).check_variables(variables)
    layout_map = D.LayoutMap(mesh)
    layout_map["dense/kernel"] = (None, "model")
    odd = [keras.Variable(np.zeros((4, 5), "float32"), path="dense/kernel")]
    with pytest.raises(ValueError, match=r"shape \(4, 5\) cannot be split over mesh axis 'model'"):
        D.ModelParallel(layout_map=layout_map).check_variables(odd)


def test_set_distribution_and_scope():
    assert D.distribution() is None
    data_parallel = D.DataParallel(devices=["cpu:0"])
    with data_parallel.scope():
        assert D.distribution() is data_parallel
    assert D.distribution() is None
    with pytest.raises(ValueError, match="expects a kfront.distribution.Distribution"):
        D.set_distribution("data_parallel")
    assert D.list_devices()[0].startswith(("cpu", "gpu", "tpu"))
    with pytest.raises(ValueError, match="device_type must be"):
        D.list_devices("npu")


def test_multi_gpu_model_is_a_deprecated_shim():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.warns(DeprecationWarning, match="multi_gpu_model` is deprecated"):
        with pytest.raises(ValueError, match="with `gpus >= 2`. Received: `gpus=1`"):
            keras.utils.multi_gpu_model(model, gpus=1)
    if not D.list_devices("gpu"):
        with pytest.warns(DeprecationWarning):
            with pytest.raises(ValueError, match=r"expect the following devices to be "
                                                 r"available: \['gpu:0', 'gpu:1'\]"):
                keras.utils.multi_gpu_model(model, gpus=2)
    assert D.distribution() is None


def test_distribution_set_after_the_model_is_refused_before_training():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    before = [w.copy() for w in model.get_weights()]
    D.set_distribution(D.DataParallel(devices=D.list_devices()[:1]))
    try:
        with pytest.raises(ValueError, match="distribution was set after the model's "
                                             "variables were created"):
            model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
    finally:
        D.set_distribution(None)
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)
