"""On torch every kfront layer (not only models) is a ``torch.nn.Module``, as in Keras 3."""
import copy
import pickle

import numpy as np
import pytest

import kfront as keras

if keras.backend.backend() != "torch":
    pytest.skip("kfront layers are torch modules on torch only", allow_module_level=True)

import torch  # noqa: E402


def _dense(units, in_dim, seed=0):
    keras.utils.set_random_seed(seed)
    layer = keras.layers.Dense(units)
    layer.build((None, in_dim))
    return layer


class _Head(torch.nn.Module):
    """A user's module holding a bare kfront layer as an attribute."""

    def __init__(self, dense):
        super().__init__()
        self.dense = dense

    def forward(self, x):
        return self.dense(x)


def test_every_layer_is_a_module():
    for layer in (keras.layers.Dense(2), keras.layers.Dropout(0.5), keras.layers.Layer(),
                  keras.Sequential()):
        assert isinstance(layer, torch.nn.Module)


def test_bare_dense_in_a_user_module_trains_to_the_hand_computed_weights():
    dense = _dense(2, 3)
    head = _Head(dense)
    assert [n for n, _ in head.named_parameters()] == ["dense.kernel", "dense.bias"]
    assert list(head.state_dict()) == ["dense.kernel", "dense.bias"]
    x = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]], "float32")
    target = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
    kernel, bias = dense.kernel.numpy().astype("float64"), dense.bias.numpy().astype("float64")
    optimizer = torch.optim.SGD(head.parameters(), lr=0.1)
    for _ in range(3):
        loss = ((head(torch.tensor(x)) - torch.tensor(target)) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        grad_out = 2 * (x @ kernel + bias - target) / target.size
        kernel, bias = kernel - 0.1 * x.T @ grad_out, bias - 0.1 * grad_out.sum(0)
    np.testing.assert_allclose(dense.kernel.numpy(), kernel, atol=1e-6)
    np.testing.assert_allclose(dense.bias.numpy(), bias, atol=1e-6)


def test_module_list_and_torch_sequential_hold_kfront_layers():
    first, second = _dense(4, 3, seed=1), _dense(2, 4, seed=2)
    stack = torch.nn.Sequential(first, torch.nn.ReLU(), second)
    assert list(stack.state_dict()) == ["0.kernel", "0.bias", "2.kernel", "2.bias"]
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    expected = np.maximum(x @ first.kernel.numpy() + first.bias.numpy(), 0)
    expected = expected @ second.kernel.numpy() + second.bias.numpy()
    np.testing.assert_allclose(stack(torch.tensor(x)).detach().numpy(), expected, atol=1e-5)
    held = torch.nn.ModuleList([first, second])
    assert len(list(held.parameters())) == 4
    assert [p is v.value for p, v in zip(held.parameters(), first.weights + second.weights)] \
        == [True] * 4


def test_to_train_and_eval_on_a_bare_layer():
    dense = _dense(2, 3)
    ids = [id(p) for p in dense.parameters()]
    assert dense.to("cpu") is dense and [id(v.value) for v in dense.weights] == ids
    dropout = keras.layers.Dropout(0.5)
    x = torch.ones(64, 32)
    np.testing.assert_array_equal(dropout(x).numpy(), x.numpy())  # never switched: inference
    assert dropout.train() is dropout and dropout.training
    assert (dropout(x).numpy() == 0).any()
    assert dropout.eval() is dropout and dropout.training is False
    np.testing.assert_array_equal(dropout(x).numpy(), x.numpy())


def test_pickle_and_deepcopy_keep_the_weights_apart():
    dense = _dense(2, 3)
    x = torch.ones(1, 3)
    for clone in (pickle.loads(pickle.dumps(dense)), copy.deepcopy(dense)):
        assert type(clone) is type(dense)
        assert clone.kernel.value is not dense.kernel.value
        np.testing.assert_allclose(clone(x).detach().numpy(), dense(x).detach().numpy())
        assert [n for n, _ in clone.named_parameters()] == ["kernel", "bias"]


def test_forward_hooks_run_and_are_removed():
    dense = _dense(2, 3)
    seen = []
    pre = dense.register_forward_pre_hook(lambda module, args: seen.append(("pre", module)))
    post = dense.register_forward_hook(
        lambda module, args, out: seen.append(("post", tuple(out.shape))))
    dense(torch.ones(4, 3))
    assert seen == [("pre", dense), ("post", (4, 2))]
    # The hooked layer still prints, saves and copies as a Dense.
    assert type(dense).__name__ == "Dense"
    assert keras.saving.serialize_keras_object(dense)["class_name"] == "Dense"
    copy.deepcopy(dense)(torch.ones(1, 3))
    assert [s[0] for s in seen] == ["pre", "post", "pre", "post"]
    pre.remove()
    post.remove()
    dense(torch.ones(1, 3))
    assert len(seen) == 4


def test_a_hook_can_replace_the_output():
    dense = _dense(2, 3)
    dense.register_forward_hook(lambda module, args, out: out * 0)
    np.testing.assert_array_equal(dense(torch.ones(2, 3)).detach().numpy(), np.zeros((2, 2)))


def test_torch_cannot_add_parameters_to_a_bare_layer():
    dense = _dense(2, 3)
    with pytest.raises(TypeError, match="create them with `add_weight`"):
        dense.register_parameter("extra", torch.nn.Parameter(torch.zeros(1)))
    with pytest.raises(TypeError, match="register_full_backward_hook"):
        dense.register_backward_hook(lambda *a: None)
    with pytest.raises(ValueError, match="`mode` must be a bool"):
        dense.train(1)
