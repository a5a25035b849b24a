"""On torch a kfront layer or model is a ``torch.nn.Module``: torch.optim, nn parents,
state_dict, to(), train()/eval() and zero_grad() work on the kfront variables themselves."""
import numpy as np
import pytest

import kfront as keras

if keras.backend.backend() != "torch":
    pytest.skip("the torch.nn.Module view exists on torch only", allow_module_level=True)

import torch  # noqa: E402


def _mlp(seed=1):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="tanh"),
                             keras.layers.Dense(3)])


def _data(n=16):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 6)).astype("float32"), rng.integers(0, 3, n)


def test_parameters_are_the_kfront_variables():
    model = _mlp()
    assert isinstance(model, torch.nn.Module)
    names = [n for n, _ in model.named_parameters()]
    assert names == ["0.kernel", "0.bias", "1.kernel", "1.bias"]
    by_id = {id(v.value) for v in model.trainable_weights}
    assert [id(p) for p in model.parameters()] == [id(v.value) for v in model.trainable_weights]
    assert all(id(p) in by_id for p in model.parameters())


def test_non_trainable_state_is_buffers():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4),
                              keras.layers.BatchNormalization(), keras.layers.Dropout(0.5)])
    assert [n for n, _ in model.named_parameters()] == [
        "0.kernel", "0.bias", "1.gamma", "1.beta"]
    assert [n for n, _ in model.named_buffers()] == [
        "1.moving_mean", "1.moving_variance", "2.seed_generator_state"]
    assert list(model.state_dict()) == [
        "0.kernel", "0.bias", "1.gamma", "1.beta", "1.moving_mean", "1.moving_variance",
        "2.seed_generator_state"]


def test_torch_custom_loop_matches_fit_with_sgd_exactly():
    """Keras 3's custom PyTorch loop (torch.optim + nn loss + backward) and `fit` give the
    same losses and weights with the same seed and optimizer settings."""
    x, y = _data()
    looped = _mlp(seed=3)
    optimizer = torch.optim.SGD(looped.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.tensor(x), torch.tensor(y)
    losses = []
    for _ in range(4):
        loss = loss_fn(looped(xt), yt)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    fitted = _mlp(seed=3)
    fitted.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                   loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = fitted.fit(x, y, batch_size=len(x), epochs=4, shuffle=False, verbose=0)
    np.testing.assert_allclose(losses, history.history["loss"], atol=1e-5)
    for a, b in zip(looped.get_weights(), fitted.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_torch_adam_loop_follows_fit_with_kfront_adam():
    x, y = _data()
    looped = _mlp(seed=4)
    optimizer = torch.optim.Adam(looped.parameters(), lr=1e-2, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    losses = []
    for _ in range(5):
        loss = loss_fn(looped(torch.tensor(x)), torch.tensor(y))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    fitted = _mlp(seed=4)
    fitted.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2, epsilon=1e-7),
                   loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = fitted.fit(x, y, batch_size=len(x), epochs=5, shuffle=False, verbose=0)
    np.testing.assert_allclose(losses, history.history["loss"], atol=1e-5)


def test_one_sgd_step_moves_the_kernel_by_the_hand_computed_gradient():
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dense(2)
    x = np.arange(6, dtype="float32").reshape(3, 2) / 6
    target = np.ones((3, 2), "float32")
    layer.build((None, 2))
    kernel, bias = layer.kernel.numpy(), layer.bias.numpy()
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.5)
    loss = ((layer(torch.tensor(x)) - torch.tensor(target)) ** 2).mean()
    loss.backward()
    optimizer.step()
    residual = x @ kernel + bias - target
    grad_kernel = x.T @ (2 * residual / residual.size)
    np.testing.assert_allclose(layer.kernel.numpy(), kernel - 0.5 * grad_kernel, atol=1e-6)
    np.testing.assert_allclose(layer.bias.numpy(),
                               bias - 0.5 * (2 * residual / residual.size).sum(0), atol=1e-6)


class _Parent(torch.nn.Module):
    def __init__(self, body):
        super().__init__()
        self.body = body
        self.heads = torch.nn.ModuleList([torch.nn.Linear(3, 1)])

    def forward(self, x):
        return self.heads[0](self.body(x))


def test_registered_as_a_submodule_of_a_torch_module():
    body = _mlp()
    parent = _Parent(body)
    names = [n for n, _ in parent.named_parameters()]
    assert names == ["body.0.kernel", "body.0.bias", "body.1.kernel", "body.1.bias",
                     "heads.0.weight", "heads.0.bias"]
    x, _ = _data()
    before = body.layers[0].kernel.numpy().copy()
    optimizer = torch.optim.SGD(parent.parameters(), lr=0.1)
    parent(torch.tensor(x)).pow(2).mean().backward()
    optimizer.step()
    assert not np.allclose(body.layers[0].kernel.numpy(), before)
    parent.zero_grad()
    assert all(p.grad is None for p in body.parameters())
    parent.eval()
    assert body.training is False and body.layers[0].training is False


def test_nested_kfront_sublayers_by_attribute_name():
    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = keras.layers.Dense(2)
            self.scale = self.add_weight(shape=(), initializer="ones", name="scale")

        def call(self, x):
            return self.inner(x) * self.scale

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.block = Block()
            self.out = keras.layers.Dense(1)

        def call(self, x):
            return self.out(self.block(x))

    net = Net()
    net(np.zeros((1, 3), "float32"))
    assert [n for n, _ in net.named_parameters()] == [
        "block.scale", "block.inner.kernel", "block.inner.bias", "out.kernel", "out.bias"]
    assert [n for n, _ in net.named_children()] == ["block", "out"]


def test_state_dict_round_trip_into_a_fresh_model():
    source, target = _mlp(seed=1), _mlp(seed=2)
    x, _ = _data()
    assert not np.allclose(source.predict(x, verbose=0), target.predict(x, verbose=0))
    state = source.state_dict()
    assert all(not t.requires_grad for t in state.values())
    result = target.load_state_dict(state)
    assert not result.missing_keys and not result.unexpected_keys
    np.testing.assert_allclose(target.predict(x, verbose=0), source.predict(x, verbose=0),
                               atol=1e-6)
    # The variables kept their storage: kfront and torch still see one tensor.
    assert [id(p) for p in target.parameters()] == [id(v.value) for v in target.weights]
    with pytest.raises(RuntimeError, match="Missing key"):
        keras.Sequential([keras.Input((6,)), keras.layers.Dense(8)]).load_state_dict(
            {"0.kernel": torch.zeros(6, 8)})


def test_to_device_keeps_the_variables():
    model = _mlp()
    ids = [id(p) for p in model.parameters()]
    assert model.to("cpu") is model
    assert [id(v.value) for v in model.weights] == ids


def test_torch_cannot_add_tensors_or_modules_behind_kfront_tracking():
    model = _mlp()
    with pytest.raises(TypeError, match="add_weight"):
        model.register_buffer("extra", torch.zeros(1))
    with pytest.raises(TypeError, match="assigning them as attributes"):
        model.add_module("extra", torch.nn.Linear(1, 1))


def _dropout_bn_model():
    keras.utils.set_random_seed(5)
    return keras.Sequential([keras.Input((32,)), keras.layers.Dropout(0.5),
                             keras.layers.BatchNormalization()])


def test_train_and_eval_switch_dropout_and_batch_norm():
    x = torch.tensor(np.random.default_rng(1).normal(3.0, 2.0, (64, 32)).astype("float32"))
    model = _dropout_bn_model()
    bn = model.layers[1]
    # Never switched: Keras's default, inference.
    np.testing.assert_allclose(model(x).detach().numpy(),
                               model(x, training=False).detach().numpy())
    assert np.all(bn.moving_mean.numpy() == 0)
    model.train()
    assert model.training and bn.training
    out = model(x).detach().numpy()
    assert not np.all(bn.moving_mean.numpy() == 0)  # batch statistics were used and kept
    assert not np.allclose(out, model(x).detach().numpy())  # dropout masks differ
    model.eval()
    moving = bn.moving_mean.numpy().copy()
    a, b = model(x).detach().numpy(), model(x).detach().numpy()
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), moving)
    # An explicit flag still wins over the mode.
    assert not np.allclose(model(x, training=True).detach().numpy(), a)
    with pytest.raises(ValueError, match="`mode` must be a bool"):
        model.train("yes")


def test_fit_trains_after_eval():
    model = _dropout_bn_model()
    model.eval()
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(2).normal(3.0, 1.0, (32, 32)).astype("float32")
    model.fit(x, x, epochs=1, batch_size=32, verbose=0)
    assert not np.all(model.layers[1].moving_mean.numpy() == 0)
    assert model.training is False  # fit passes its own flag and leaves the mode alone


def test_a_frozen_layer_is_not_handed_to_torch_optim():
    model = _mlp()
    keys = set(model.state_dict())
    model.layers[0].trainable = False
    assert [n for n, _ in model.named_parameters()] == ["1.kernel", "1.bias"]
    assert [n for n, _ in model.named_buffers()] == ["0.kernel", "0.bias"]
    assert set(model.state_dict()) == keys
