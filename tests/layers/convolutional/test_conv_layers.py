"""Convolution layers: numbers (NumPy and real Keras), shapes, configs, errors, training."""
import numpy as np
import pytest

import kfront as keras
from conv_pool_reference import keras_outputs, np_conv, np_conv_transpose, np_depthwise
from kfront import config, layers, ops

rng = np.random.default_rng(3)


def _u(*shape):
    return rng.uniform(-1, 1, shape).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _first(a):
    return np.moveaxis(a, -1, 1)


def _with_weights(layer, x):
    """Builds ``layer`` for ``x`` and gives it random weights; returns them."""
    layer.build(x.shape)
    weights = [_u(*w.shape) for w in layer.weights]
    layer.set_weights(weights)
    return weights


X1 = _u(2, 9, 3)
X2 = _u(2, 7, 6, 3)
X3 = _u(1, 4, 5, 4, 2)
TOL = dict(rtol=1e-5, atol=1e-5)

# ---------------------------------------------------------------------------------------------
# NumPy references: one or more cases per layer.

NUMPY_CASES = {
    "conv1d_causal_dilated": (
        lambda: layers.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="relu"), X1,
        lambda x, w: np.maximum(np_conv(np.pad(x, [(0, 0), (4, 0), (0, 0)]), w[0], 1, "valid", 2)
                                + w[1], 0)),
    "conv1d_same_strided": (
        lambda: layers.Conv1D(4, 3, strides=2, padding="same"), X1,
        lambda x, w: np_conv(x, w[0], 2, "same") + w[1]),
    "conv2d_same_strided": (
        lambda: layers.Conv2D(5, (3, 2), strides=2, padding="same"), X2,
        lambda x, w: np_conv(x, w[0], 2, "same") + w[1]),
    "conv2d_channels_first": (
        lambda: layers.Conv2D(4, 3, data_format="channels_first"), _first(X2),
        lambda x, w: _first(np_conv(np.moveaxis(x, 1, -1), w[0]) + w[1])),
    "conv2d_groups_no_bias": (
        lambda: layers.Conv2D(6, 2, groups=3, use_bias=False), X2,
        lambda x, w: np_conv(x, w[0])),
    "conv3d_same": (
        lambda: layers.Conv3D(3, 2, padding="same"), X3,
        lambda x, w: np_conv(x, w[0], 1, "same") + w[1]),
    "conv1d_transpose": (
        lambda: layers.Conv1DTranspose(2, 3, strides=2, padding="same", output_padding=1), X1,
        lambda x, w: np_conv_transpose(x, w[0], 2, "same", 1) + w[1]),
    "conv2d_transpose": (
        lambda: layers.Conv2DTranspose(2, (4, 3), strides=(2, 1), padding="same"), X2,
        lambda x, w: np_conv_transpose(x, w[0], (2, 1), "same") + w[1]),
    "conv3d_transpose": (
        lambda: layers.Conv3DTranspose(2, 2, strides=2), X3,
        lambda x, w: np_conv_transpose(x, w[0], 2) + w[1]),
    "depthwise_conv1d": (
        lambda: layers.DepthwiseConv1D(3, depth_multiplier=2, padding="same"), X1,
        lambda x, w: np_depthwise(x, w[0], 1, "same") + w[1]),
    "depthwise_conv2d": (
        lambda: layers.DepthwiseConv2D(3, strides=2), X2,
        lambda x, w: np_depthwise(x, w[0], 2) + w[1]),
    "separable_conv1d": (
        lambda: layers.SeparableConv1D(4, 3, depth_multiplier=2), X1,
        lambda x, w: np_conv(np_depthwise(x, w[0]), w[1]) + w[2]),
    "separable_conv2d": (
        lambda: layers.SeparableConv2D(4, 2, padding="same", activation="tanh"), X2,
        lambda x, w: np.tanh(np_conv(np_depthwise(x, w[0], 1, "same"), w[1]) + w[2])),
}


@pytest.mark.parametrize("case_id", list(NUMPY_CASES))
def test_layer_matches_numpy(case_id):
    make, x, reference = NUMPY_CASES[case_id]
    layer = make()
    weights = _with_weights(layer, x)
    got = _np(layer(x))
    want = reference(x.astype(np.float64), [w.astype(np.float64) for w in weights])
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, **TOL)


# ---------------------------------------------------------------------------------------------
# The real Keras 3 layers, given the same weights.

KERAS_CASES = {
    "conv1d_causal": ("Conv1D", dict(filters=3, kernel_size=3, padding="causal"), X1),
    "conv2d_cf": ("Conv2D", dict(filters=4, kernel_size=3, strides=2, padding="same",
                                 data_format="channels_first"), _first(X2)),
    "conv2d_dilated": ("Conv2D", dict(filters=2, kernel_size=2, dilation_rate=2), X2),
    "conv3d": ("Conv3D", dict(filters=2, kernel_size=(2, 3, 2)), X3),
    "conv1d_transpose_valid": ("Conv1DTranspose", dict(filters=2, kernel_size=2, strides=3),
                               X1),
    "conv2d_transpose_same": ("Conv2DTranspose", dict(filters=3, kernel_size=3, strides=2,
                                                      padding="same"), X2),
    "conv2d_transpose_output_padding": (
        "Conv2DTranspose", dict(filters=2, kernel_size=3, strides=2, output_padding=1), X2),
    "conv3d_transpose_same": ("Conv3DTranspose", dict(filters=2, kernel_size=3, strides=2,
                                                      padding="same"), X3),
    "depthwise_conv2d": ("DepthwiseConv2D", dict(kernel_size=2, depth_multiplier=2,
                                                 padding="same"), X2),
    "depthwise_conv1d": ("DepthwiseConv1D", dict(kernel_size=3, strides=2), X1),
    "separable_conv2d_cf": ("SeparableConv2D", dict(filters=3, kernel_size=2,
                                                    data_format="channels_first"), _first(X2)),
    "separable_conv1d": ("SeparableConv1D", dict(filters=3, kernel_size=3, padding="same",
                                                 depth_multiplier=2), X1),
}


@pytest.fixture(scope="module")
def keras_results(tmp_path_factory):
    if config.backend() != "torch":
        pytest.skip("compared with real Keras once, in the torch session; the parity suite "
                    "holds the other engines to torch's numbers")
    cases, mine = {}, {}
    for case_id, (cls, kwargs, x) in KERAS_CASES.items():
        layer = getattr(layers, cls)(**kwargs)
        weights = _with_weights(layer, x)
        mine[case_id] = _np(layer(x))
        cases[case_id] = (cls, kwargs, x, weights)
    return mine, keras_outputs(cases, tmp_path_factory.mktemp("keras_conv"))


@pytest.mark.parametrize("case_id", list(KERAS_CASES))
def test_layer_matches_real_keras(keras_results, case_id):
    mine, theirs = keras_results
    assert mine[case_id].shape == theirs[case_id].shape
    np.testing.assert_allclose(mine[case_id], theirs[case_id], **TOL)


# ---------------------------------------------------------------------------------------------
# Shapes: symbolic calls agree with eager calls.

SHAPE_CASES = [
    (lambda: layers.Conv1D(4, 3, strides=2, padding="same"), (9, 3)),
    (lambda: layers.Conv1D(4, 3, padding="causal"), (9, 3)),
    (lambda: layers.Conv2D(4, 3, data_format="channels_first"), (3, 7, 6)),
    (lambda: layers.Conv3D(2, 2, strides=2), (4, 5, 4, 2)),
    (lambda: layers.Conv1DTranspose(2, 4, strides=3), (9, 3)),
    (lambda: layers.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=1),
     (7, 6, 3)),
    (lambda: layers.Conv3DTranspose(2, 2, data_format="channels_first"), (2, 4, 5, 4)),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=3), (7, 6, 3)),
    (lambda: layers.SeparableConv1D(5, 2, strides=2, padding="same"), (9, 3)),
]


@pytest.mark.parametrize("make, shape", SHAPE_CASES)
def test_symbolic_shape_matches_eager(make, shape):
    layer = make()
    symbolic = layer(keras.Input(shape))
    eager = layer(_u(2, *shape))
    assert symbolic.shape == (None,) + tuple(ops.shape(eager))[1:]


# ---------------------------------------------------------------------------------------------
# Configs and names.

CONFIG_CASES = [
    layers.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="relu",
                  kernel_regularizer="l2"),
    layers.Conv2D(6, (3, 2), strides=(2, 1), groups=2, use_bias=False,
                  data_format="channels_first", kernel_initializer="he_normal"),
    layers.Conv3D(2, 2, bias_regularizer=keras.regularizers.L1(0.1)),
    layers.Conv1DTranspose(3, 4, strides=2, output_padding=1),
    layers.Conv2DTranspose(3, 3, padding="same", activation="sigmoid"),
    layers.Conv3DTranspose(3, 2, dilation_rate=2),
    layers.DepthwiseConv1D(3, depth_multiplier=2, depthwise_regularizer="l1"),
    layers.DepthwiseConv2D(3, strides=2, padding="same"),
    layers.SeparableConv1D(4, 3, depth_multiplier=2, pointwise_initializer="zeros"),
    layers.SeparableConv2D(4, 3, activation="relu"),
]


@pytest.mark.parametrize("layer", CONFIG_CASES, ids=lambda l: type(l).__name__)
def test_config_round_trip(layer):
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config


def test_config_has_keras_keys():
    config = layers.Conv2D(4, 3).get_config()
    assert config["kernel_size"] == (3, 3) and config["strides"] == (1, 1)
    assert config["padding"] == "valid" and config["data_format"] == "channels_last"
    assert config["dilation_rate"] == (1, 1) and config["groups"] == 1
    assert config["activation"] == "linear"
    assert config["kernel_initializer"]["class_name"] == "GlorotUniform"
    depthwise = layers.DepthwiseConv2D(3).get_config()
    assert depthwise["depth_multiplier"] == 1 and "depthwise_initializer" in depthwise
    assert "filters" not in depthwise
    separable = layers.SeparableConv2D(2, 3).get_config()
    assert separable["filters"] == 2 and "pointwise_initializer" in separable
    assert layers.Conv2DTranspose(2, 3).get_config()["output_padding"] is None


def test_keras2_aliases():
    assert layers.Convolution1D is layers.Conv1D
    assert layers.Convolution2D is layers.Conv2D
    assert layers.Convolution3D is layers.Conv3D
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose
    assert layers.SeparableConvolution2D is layers.SeparableConv2D


def test_weight_names_and_shapes():
    conv = layers.Conv2D(6, 3, groups=2)
    conv.build((None, 8, 8, 4))
    assert [w.shape for w in conv.weights] == [(3, 3, 2, 6), (6,)]
    transpose = layers.Conv2DTranspose(5, 3)
    transpose.build((None, 8, 8, 4))
    assert [w.shape for w in transpose.weights] == [(3, 3, 5, 4), (5,)]
    separable = layers.SeparableConv1D(5, 3, depth_multiplier=2)
    separable.build((None, 8, 4))
    assert [w.shape for w in separable.weights] == [(3, 4, 2), (1, 8, 5), (5,)]
    assert [w.path.split("/")[-1] for w in separable.weights] == [
        "depthwise_kernel", "pointwise_kernel", "bias"]


# ---------------------------------------------------------------------------------------------
# Bad arguments and inputs: a ValueError that says what was expected and received.

@pytest.mark.parametrize("make, message", [
    (lambda: layers.Conv2D(4, 3, padding="full"), "padding=.full"),
    (lambda: layers.Conv2D(4, 3, padding="causal"), "padding=.causal"),
    (lambda: layers.Conv2D(4, 3, data_format="NHWC"), "data_format=.NHWC"),
    (lambda: layers.Conv2D(0, 3), "filters=0"),
    (lambda: layers.Conv2D(4, (3, 3, 3)), "kernel_size"),
    (lambda: layers.Conv2D(4, 0), "kernel_size"),
    (lambda: layers.Conv2D(5, 3, groups=2), "groups=2, filters=5"),
    (lambda: layers.Conv2D(4, 3, strides=2, dilation_rate=2), "dilation_rate > 1"),
    (lambda: layers.Conv2DTranspose(4, 3, strides=2, output_padding=2),
     "output_padding` must be strictly less than `strides"),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0), "depth_multiplier=0"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_wrong_rank_names_the_layer():
    layer = layers.Conv2D(4, 3, name="my_conv")
    with pytest.raises(ValueError, match=r'"my_conv".*expected ndim=4, found ndim=3'):
        layer(_u(2, 7, 3))
    with pytest.raises(ValueError, match=r'"my_conv".*expected ndim=4, found ndim=3'):
        layer(keras.Input((7, 3)))


def test_kernel_larger_than_input():
    with pytest.raises(ValueError, match=r'"big".*larger than the \(padded\) input.*\(2, 4, 4, 3\)'):
        layers.Conv2D(2, 5, name="big")(_u(2, 4, 4, 3))
    # 'same' padding keeps every output position, so the same kernel is fine.
    assert tuple(ops.shape(layers.Conv2D(2, 5, padding="same")(_u(2, 4, 4, 3)))) == (2, 4, 4, 2)


def test_channels_not_divisible_by_groups():
    with pytest.raises(ValueError, match="input channels must be evenly divisible.*groups=2.*3 "
                                         "channels"):
        layers.Conv2D(4, 3, groups=2)(_u(2, 7, 6, 3))


def test_channel_count_change_after_build():
    layer = layers.Conv1D(2, 3)
    layer(X1)
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(_u(2, 9, 4))


def test_op_errors():
    with pytest.raises(ValueError, match="conv: `padding` must be 'valid' or 'same'"):
        ops.conv(X2, _u(3, 3, 3, 2), padding="causal")
    with pytest.raises(ValueError, match="conv: `data_format`"):
        ops.conv(X2, _u(3, 3, 3, 2), data_format="NCHW")
    with pytest.raises(ValueError, match=r"conv: the input has 3 channels.*\(3, 3, 2, 2\)"):
        ops.conv(X2, _u(3, 3, 2, 2))
    with pytest.raises(ValueError, match="depthwise_conv: inputs must have rank 3 or 4"):
        ops.depthwise_conv(X3, _u(2, 2, 2, 2, 1))


# ---------------------------------------------------------------------------------------------
# Models: training, regularizers, constraints.

def test_functional_convnet_trains():
    x = _u(32, 6, 6, 1)
    y = (x.mean(axis=(1, 2, 3)) > 0).astype("float32")[:, None]
    inputs = keras.Input((6, 6, 1))
    h = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    h = layers.SeparableConv2D(4, 2)(h)
    h = layers.Conv2DTranspose(2, 2, strides=2)(h)
    h = layers.DepthwiseConv2D(3)(h)
    outputs = layers.Dense(1, activation="sigmoid")(layers.Flatten()(h))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.03), loss="binary_crossentropy")
    history = model.fit(x, y, epochs=25, batch_size=32, verbose=0).history["loss"]
    assert history[-1] < 0.5 * history[0]


def test_subclassed_model_with_conv1d_trains():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.conv = layers.Conv1D(4, 3, padding="causal", activation="tanh")
            self.conv_t = layers.Conv1DTranspose(2, 3, padding="same")
            self.out = layers.Dense(1)

        def call(self, x):
            return self.out(layers.Flatten()(self.conv_t(self.conv(x))))

    x = _u(16, 5, 2)
    y = x.sum(axis=(1, 2))[:, None]
    model = Net()
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0).history["loss"]
    assert history[-1] < 0.5 * history[0]


def test_regularizer_losses():
    layer = layers.Conv1D(2, 3, kernel_regularizer=keras.regularizers.L2(0.5),
                          bias_initializer="ones", bias_regularizer=keras.regularizers.L1(0.25))
    layer(X1)
    kernel = layer.kernel.numpy()
    values = sorted(float(_np(loss)) for loss in layer.losses)
    np.testing.assert_allclose(values, sorted([0.5 * (kernel ** 2).sum(), 0.25 * 2]), rtol=1e-5)


def test_activity_regularizer_adds_a_loss():
    layer = layers.Conv1D(2, 3, activity_regularizer=keras.regularizers.L1(0.1))
    out = _np(layer(X1))
    # Keras 3 divides the activity penalty by the batch size.
    np.testing.assert_allclose(float(_np(layer.losses[0])),
                               0.1 * np.abs(out).sum() / X1.shape[0], rtol=1e-5)


def test_kernel_constraint_applies_after_update():
    def clip(w):
        return ops.clip(w, -0.01, 0.01)

    model = keras.Sequential([keras.Input((9, 3)),
                              layers.Conv1D(2, 3, kernel_constraint=clip), layers.Flatten()])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X1, np.ones((2, 14), "float32"), epochs=1, verbose=0)
    assert np.abs(model.layers[0].kernel.numpy()).max() <= 0.01 + 1e-7
