"""``kfront.layers.TorchModuleWrapper``: a torch.nn.Module inside a kfront model, trained by
``fit``, saved as arrays, never unpickled in safe mode."""
import numpy as np
import pytest

import kfront as keras

ON_TORCH = keras.backend.backend() == "torch"
torch_only = pytest.mark.skipif(not ON_TORCH, reason="TorchModuleWrapper runs on torch only")

if ON_TORCH:
    import torch


@pytest.mark.skipif(ON_TORCH, reason="checks the message on the other backends")
def test_other_backends_say_it_needs_torch():
    with pytest.raises(RuntimeError, match="TorchModuleWrapper needs the torch backend.*"
                                           f"current backend is '{keras.backend.backend()}'"):
        keras.layers.TorchModuleWrapper(object())


def _model(seed=0):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(),
                              torch.nn.Linear(8, 1))
    wrapper = keras.layers.TorchModuleWrapper(net, name="net")
    return keras.Sequential([keras.Input((4,)), wrapper]), wrapper, net


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    return x, (x.sum(1, keepdims=True) > 0).astype("float32")


@torch_only
def test_variables_are_the_module_tensors():
    model, wrapper, net = _model()
    assert [v.path for v in wrapper.trainable_weights] == [
        "net/0.weight", "net/0.bias", "net/1.weight", "net/1.bias", "net/3.weight",
        "net/3.bias"]
    assert [v.path for v in wrapper.non_trainable_weights] == [
        "net/1.running_mean", "net/1.running_var", "net/1.num_batches_tracked"]
    assert wrapper.trainable_weights[0].value is net[0].weight
    assert [id(p) for p in model.parameters()] == [id(p) for p in net.parameters()]
    assert list(model.state_dict())[:2] == ["0.module.0.weight", "0.module.0.bias"]


@torch_only
def test_fit_trains_the_module_by_sgd():
    torch.manual_seed(0)
    linear = torch.nn.Linear(3, 1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.TorchModuleWrapper(linear)])
    x = np.arange(12, dtype="float32").reshape(4, 3) / 12
    y = np.ones((4, 1), "float32")
    w, b = linear.weight.detach().numpy().copy(), linear.bias.detach().numpy().copy()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="mse")
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    residual = x @ w.T + b - y
    grad = 2 * residual / residual.size
    np.testing.assert_allclose(linear.weight.detach().numpy(), w - 0.5 * (grad.T @ x),
                               atol=1e-6)
    np.testing.assert_allclose(linear.bias.detach().numpy(), b - 0.5 * grad.sum(0), atol=1e-6)


@torch_only
def test_training_flag_switches_the_module_mode():
    model, wrapper, net = _model()
    x, y = _data()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert int(net[1].num_batches_tracked) == 8  # batch norm ran in train mode
    model.predict(x, verbose=0)
    assert net.training is False
    wrapper(torch.tensor(x))
    assert net.training is True  # as Keras: a call without `training` runs in train mode
    model.eval()
    wrapper(torch.tensor(x))
    assert net.training is False


@torch_only
def test_weights_file_round_trip(tmp_path):
    model, _, net = _model(seed=0)
    x, y = _data()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    path = str(tmp_path / "w.weights.h5")
    model.save_weights(path)
    fresh, _, fresh_net = _model(seed=1)
    fresh.load_weights(path)
    np.testing.assert_array_equal(fresh_net[1].running_mean.numpy(),
                                  net[1].running_mean.numpy())
    np.testing.assert_allclose(fresh.predict(x, verbose=0), model.predict(x, verbose=0),
                               atol=1e-6)


@torch_only
def test_saved_model_is_refused_in_safe_mode_and_loads_outside_it(tmp_path):
    model, _, _ = _model()
    x, y = _data()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = str(tmp_path / "m.kfront")
    model.save(path)
    with pytest.raises(ValueError, match=r"torch\.load\(\)`.*safe_mode=False"):
        keras.models.load_model(path)
    loaded = keras.models.load_model(path, safe_mode=False)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               atol=1e-6)


@torch_only
def test_from_config_outside_loading_is_safe_mode():
    _, wrapper, _ = _model()
    config = wrapper.get_config()
    assert isinstance(config["module"], str)
    with pytest.raises(ValueError, match="arbitrary code execution"):
        keras.layers.TorchModuleWrapper.from_config(config)


@torch_only
def test_argument_errors():
    with pytest.raises(TypeError, match="`module` must be a torch.nn.Module. Received: 3"):
        keras.layers.TorchModuleWrapper(3)
    with pytest.raises(ValueError, match="LazyModules are not supported"):
        keras.layers.TorchModuleWrapper(torch.nn.LazyLinear(2))


@torch_only
def test_output_shape_skips_running_the_module():
    calls = []

    class Probe(torch.nn.Module):
        def forward(self, x):
            calls.append(tuple(x.shape))
            return x[:, :2]

    inputs = keras.Input((5,))
    out = keras.layers.TorchModuleWrapper(Probe(), output_shape=(None, 2))(inputs)
    assert out.shape == (None, 2) and calls == []
    out = keras.layers.TorchModuleWrapper(Probe())(inputs)
    assert out.shape == (None, 2) and calls  # run on placeholder batches


@torch_only
def test_wrapped_module_inside_a_subclassed_model():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.fc = keras.layers.TorchModuleWrapper(torch.nn.Linear(3, 4))
            self.head = keras.layers.Dense(1)

        def call(self, x):
            return self.head(torch.relu(self.fc(x)))

    net = Net()
    net(np.zeros((2, 3), "float32"))
    assert [n for n, _ in net.named_parameters()] == [
        "fc.module.weight", "fc.module.bias", "head.kernel", "head.bias"]
    assert net.fc.module.weight is next(net.parameters())
    net.eval()
    assert net.fc.module.training is False
