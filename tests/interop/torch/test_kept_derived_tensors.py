"""The torch-layout conv kernel kept for calls without gradient (backends/torch/conv.py):
reused while the kernel is unchanged, remade after any in-place write, never used where a
gradient flows, and never an inference-mode tensor."""
import importlib

import numpy as np
import pytest

import kfront as keras

if keras.backend.backend() != "torch":
    pytest.skip("the kept kernel layout is torch's", allow_module_level=True)

import torch  # noqa: E402

# The module itself: the package re-exports its ``conv`` function under the same name.
torch_conv = importlib.import_module("kfront.backends.torch.conv")
torch_kept = importlib.import_module("kfront.backends.torch.kept")


def _conv(seed=0):
    keras.utils.set_random_seed(seed)
    layer = keras.layers.Conv2D(4, 3)
    layer.build((None, 6, 6, 2))
    return layer


def _x():
    return torch.from_numpy(np.random.default_rng(0).normal(size=(2, 6, 6, 2)).astype("float32"))


def _reference(layer, x):
    """The convolution through torch's own conv2d on freshly permuted NumPy weights."""
    kernel = torch.from_numpy(np.ascontiguousarray(
        keras.ops.convert_to_numpy(layer.kernel).transpose(3, 2, 0, 1)))
    bias = torch.from_numpy(keras.ops.convert_to_numpy(layer.bias))
    y = torch.nn.functional.conv2d(x.permute(0, 3, 1, 2), kernel, bias)
    return y.permute(0, 2, 3, 1)


def test_kept_layout_is_reused_then_remade_after_an_in_place_write():
    layer, x = _conv(), _x()
    param = layer.kernel.value
    with torch.no_grad():
        first = torch_conv._torch_weight(param, "conv", torch_conv._conv_layout, "channels_last")
        again = torch_conv._torch_weight(param, "conv", torch_conv._conv_layout, "channels_last")
        assert again is first
        assert first.is_contiguous(memory_format=torch.channels_last)
        # A user's in-place write through the module's parameters, as torch code does it.
        for p in layer.parameters():
            p.mul_(-2.0)
        remade = torch_conv._torch_weight(param, "conv", torch_conv._conv_layout,
                                          "channels_last")
        assert remade is not first
        torch.testing.assert_close(layer(x), _reference(layer, x))


def test_no_kept_layout_where_the_kernel_takes_a_gradient():
    layer, x = _conv(), _x()
    kept = len(torch_kept._KEPT)
    y = layer(x)
    assert len(torch_kept._KEPT) == kept
    y.sum().backward()
    assert layer.kernel.value.grad is not None
    assert layer.kernel.value.grad.abs().sum() > 0


def test_inference_mode_call_then_a_training_call():
    """The copy made under ``inference_mode`` is an ordinary tensor: a later call of the
    frozen layer on an input that takes a gradient can still save it for backward."""
    layer, x = _conv(), _x()
    layer.trainable = False
    with torch.inference_mode():
        y_inf = layer(x)
    torch.testing.assert_close(y_inf, _reference(layer, x))
    x_grad = x.clone().requires_grad_(True)
    layer(x_grad).sum().backward()
    assert x_grad.grad is not None and x_grad.grad.abs().sum() > 0


def test_kept_layouts_go_with_their_kernel():
    import gc
    layer, x = _conv(), _x()
    with torch.no_grad():
        layer(x)
    key = id(layer.kernel.value)
    assert key in torch_kept._KEPT
    del layer
    gc.collect()
    assert key not in torch_kept._KEPT
