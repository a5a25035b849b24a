"""imagenet_utils and the constructors' argument checks, against Keras 3's numbers and
messages."""
import numpy as np
import pytest

import kfront
from kfront.applications import imagenet_utils
from keras_reference import keras_numbers

_FORMATS = [("channels_last", (2, 5, 4, 3)), ("channels_last", (5, 4, 3)),
            ("channels_first", (2, 3, 5, 4)), ("channels_first", (3, 5, 4))]
_MODES = ("caffe", "tf", "torch")


@pytest.fixture(scope="module")
def keras_preprocessed():
    rng = np.random.default_rng(3)
    images = {f"x{i}": rng.uniform(0, 255, shape).astype("float32")
              for i, (_, shape) in enumerate(_FORMATS)}
    script = "from keras.applications import imagenet_utils as u\n" + "".join(
        f"out['x{i}_{mode}'] = u.preprocess_input(inp['x{i}'].copy(), {fmt!r}, {mode!r})\n"
        for i, (fmt, _) in enumerate(_FORMATS) for mode in _MODES)
    return images, keras_numbers(script, **images)


@pytest.mark.parametrize("mode", _MODES)
@pytest.mark.parametrize("case", range(len(_FORMATS)))
def test_preprocess_input_matches_keras(keras_preprocessed, case, mode):
    images, expected = keras_preprocessed
    fmt, _ = _FORMATS[case]
    x = images[f"x{case}"]
    want = expected[f"x{case}_{mode}"]
    np.testing.assert_allclose(imagenet_utils.preprocess_input(x.copy(), fmt, mode), want,
                               rtol=1e-6, atol=1e-5)
    tensor = imagenet_utils.preprocess_input(kfront.ops.convert_to_tensor(x), fmt, mode)
    assert kfront.ops.is_tensor(tensor)
    np.testing.assert_allclose(kfront.ops.convert_to_numpy(tensor), want, rtol=1e-6,
                               atol=1e-4)
    # Integers are converted to floatx first, for arrays and tensors alike.
    ints = np.round(x).astype("uint8")
    out = imagenet_utils.preprocess_input(ints, fmt, mode)
    assert out.dtype == np.float32
    np.testing.assert_allclose(
        out, imagenet_utils.preprocess_input(ints.astype("float32"), fmt, mode), atol=1e-5)
    out = imagenet_utils.preprocess_input(kfront.ops.convert_to_tensor(ints), fmt, mode)
    assert kfront.backend.standardize_dtype(out.dtype) == "float32"


def test_preprocess_input_is_in_place_for_float_arrays_and_symbolic_inside_a_model():
    x = np.full((1, 2, 2, 3), 255.0, dtype="float32")
    out = imagenet_utils.preprocess_input(x, mode="tf")
    assert out is x and np.all(x == 1.0)  # as in Keras: pass np.copy(x) to keep x
    inputs = kfront.Input((4, 4, 3))
    model = kfront.Model(inputs, kfront.applications.resnet_v2.preprocess_input(inputs))
    np.testing.assert_allclose(model.predict(np.zeros((1, 4, 4, 3), "float32"), verbose=0),
                               -1.0)


def test_family_preprocessing_modes():
    x = np.array([[[[10.0, 20.0, 30.0]]]], dtype="float32")
    expected = {mode: imagenet_utils.preprocess_input(x.copy(), mode=mode) for mode in _MODES}
    A = kfront.applications
    for module, mode in ((A.vgg16, "caffe"), (A.vgg19, "caffe"), (A.resnet, "caffe"),
                         (A.resnet50, "caffe"), (A.resnet_v2, "tf"), (A.inception_v3, "tf"),
                         (A.inception_resnet_v2, "tf"), (A.xception, "tf"),
                         (A.densenet, "torch")):
        np.testing.assert_allclose(module.preprocess_input(x.copy()), expected[mode])
        assert module.decode_predictions.__doc__ == imagenet_utils.decode_predictions.__doc__


def test_preprocess_input_errors():
    x = np.zeros((1, 2, 2, 3), "float32")
    with pytest.raises(ValueError, match=r"Expected mode to be one of `caffe`, `tf` or "
                                         r"`torch`. Received: mode=keras"):
        imagenet_utils.preprocess_input(x, mode="keras")
    with pytest.raises(ValueError, match="Expected data_format to be one of `channels_first` "
                                         "or `channels_last`. Received: data_format=nhwc"):
        imagenet_utils.preprocess_input(x, data_format="nhwc")


def test_decode_predictions_shape_error():
    with pytest.raises(ValueError, match=r"expects a batch of predictions \(i.e. a 2D array "
                                         r"of shape \(samples, 1000\)\). Received array with "
                                         r"shape: \(2, 10\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))


def test_obtain_input_shape_rules():
    get = imagenet_utils.obtain_input_shape
    last, first = "channels_last", "channels_first"
    assert get(None, 224, 32, last, True) == (224, 224, 3)
    assert get(None, 224, 32, first, True) == (3, 224, 224)
    assert get(None, 224, 32, last, False) == (None, None, 3)
    assert get(None, 224, 32, first, False) == (3, None, None)
    assert get((64, 48, 3), 224, 32, last, True) == (64, 48, 3)
    assert get((224, 224, 3), 224, 32, last, True, "imagenet") == (224, 224, 3)
    with pytest.raises(ValueError, match=r"`input_shape` should be \(224, 224, 3\)\.  "
                                         r"Received: input_shape=\(64, 64, 3\)"):
        get((64, 64, 3), 224, 32, last, True, "imagenet")
    with pytest.raises(ValueError, match="Input size must be at least 32x32; Received: "
                                         r"input_shape=\(16, 64, 3\)"):
        get((16, 64, 3), 224, 32, last, False)
    with pytest.raises(ValueError, match="Input size must be at least 75x75"):
        get((3, 80, 70), 299, 75, first, False)
    with pytest.raises(ValueError, match=r"The input must have 3 channels; Received "
                                         r"`input_shape=\(64, 64, 1\)`"):
        get((64, 64, 1), 224, 32, last, False, "imagenet")
    with pytest.raises(ValueError, match="`input_shape` must be a tuple of three integers"):
        get((64, 64), 224, 32, last, False)
    with pytest.raises(ValueError, match="If `include_top` is True, you should specify a "
                                         r"static `input_shape`. Received: input_shape="
                                         r"\(None, 64, 3\)"):
        get((None, 64, 3), 224, 32, last, True)
    with pytest.warns(UserWarning, match="usually expects 1 or 3 input channels. However, "
                                         "it was passed an input_shape with 4 input channels"):
        assert get((64, 64, 4), 224, 32, last, False) == (64, 64, 4)


def test_correct_pad_and_validate_activation():
    assert imagenet_utils.correct_pad(kfront.Input((224, 224, 3)), 3) == ((0, 1), (0, 1))
    assert imagenet_utils.correct_pad(kfront.Input((225, 224, 3)), (3, 5)) == ((1, 1), (1, 2))
    assert imagenet_utils.correct_pad(kfront.Input((None, None, 3)), 3) == ((0, 1), (0, 1))
    imagenet_utils.validate_activation("relu", None)
    imagenet_utils.validate_activation("softmax", "imagenet")
    imagenet_utils.validate_activation(None, "imagenet")
    with pytest.raises(ValueError, match="Only `None` and `softmax` activations are allowed "
                                         "for the `classifier_activation` argument when using "
                                         "pretrained weights"):
        imagenet_utils.validate_activation("sigmoid", "imagenet")


def test_constructor_argument_errors():
    A = kfront.applications
    with pytest.raises(ValueError, match="The `weights` argument should be either `None` "
                                         r"\(random initialization\), 'imagenet' .* Received: "
                                         "weights=/no/such/file.h5"):
        A.VGG16(weights="/no/such/file.h5")
    with pytest.raises(ValueError, match=r"If using `weights='imagenet'` with "
                                         r"`include_top=True`, `classes` should be 1000.  "
                                         "Received classes=10"):
        A.ResNet50(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match=r"The `pooling` argument should be one of None, 'avg' "
                                         r"or 'max'. Received: pooling='mean'"):
        A.DenseNet121(weights=None, include_top=False, pooling="mean")
    with pytest.raises(ValueError, match="Only `None` and `softmax` activations"):
        A.Xception(weights="imagenet", classifier_activation="sigmoid")
    with pytest.raises(ValueError, match="Input size must be at least 71x71"):
        A.Xception(weights=None, include_top=False, input_shape=(64, 64, 3))


def test_keras2_import_paths_and_heads():
    A = kfront.applications
    assert A.vgg16.VGG16 is A.VGG16 and A.resnet50.ResNet50 is A.resnet.ResNet50
    assert A.resnet_v2.ResNet50V2 is A.ResNet50V2 and A.densenet.DenseNet201 is A.DenseNet201
    kfront.backend.clear_session()
    inputs = kfront.Input((32, 32, 3))
    features = A.VGG16(weights=None, include_top=False, input_tensor=inputs, pooling="max")
    assert features.name == "vgg16" and features.inputs[0] is inputs
    assert tuple(features.output.shape) == (None, 512)
    assert [layer.name for layer in features.layers][-2:] == ["block5_pool",
                                                             "global_max_pooling2d"]
    small = A.ResNet50(weights=None, input_shape=(32, 32, 3), classes=7,
                       classifier_activation=None, name="small")
    assert small.name == "small" and tuple(small.output.shape) == (None, 7)
    assert small.get_layer("predictions").activation is kfront.activations.linear
