"""``kfront.ops.image`` beyond the NumPy cases: ViT's patch extraction in a Functional model
and inside ``fit`` with a dynamic batch, symbolic shapes, elastic_transform (random), and
the messages for bad arguments."""
import numpy as np
import pytest

import kfront as keras
from kfront import config, layers, ops

_rng = np.random.default_rng(9)
IMAGES = _rng.random((7, 8, 8, 3)).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _patches_reference(x, p):
    b, h, w, c = x.shape
    x = x.reshape(b, h // p, p, w // p, p, c).transpose(0, 1, 3, 2, 4, 5)
    return x.reshape(b, (h // p) * (w // p), p * p * c)


class Patches(layers.Layer):
    """keras.io's ViT example layer, verbatim apart from the import."""

    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, images):
        input_shape = ops.shape(images)
        batch_size = input_shape[0]
        height, width, channels = input_shape[1], input_shape[2], input_shape[3]
        num_patches_h = height // self.patch_size
        num_patches_w = width // self.patch_size
        patches = keras.ops.image.extract_patches(images, size=self.patch_size)
        return keras.ops.reshape(
            patches,
            (batch_size, num_patches_h * num_patches_w,
             self.patch_size * self.patch_size * channels))


def _vit_like_model():
    inputs = keras.Input(shape=(8, 8, 3))
    x = Patches(4)(inputs)
    x = layers.Dense(2)(x)
    outputs = layers.GlobalAveragePooling1D()(x)
    return keras.Model(inputs, outputs)


def test_extract_patches_on_a_symbolic_input_keeps_the_batch_unknown():
    inputs = keras.Input(shape=(8, 8, 3))
    assert tuple(ops.image.extract_patches(inputs, size=4).shape) == (None, 2, 2, 48)
    assert tuple(ops.image.extract_patches(inputs, 3, strides=1).shape) == (None, 6, 6, 27)


def test_vit_patches_train_in_fit_with_a_ragged_last_batch():
    keras.utils.set_random_seed(1)
    model = _vit_like_model()
    model.compile(optimizer="sgd", loss="mse")
    y = _rng.random((7, 2)).astype("float32")
    history = model.fit(IMAGES, y, batch_size=3, epochs=2, verbose=0)  # batches of 3, 3, 1
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
    kernel, bias = (_np(w) for w in model.layers[2].get_weights())
    want = (_patches_reference(IMAGES, 4) @ kernel + bias).mean(axis=1)
    np.testing.assert_allclose(_np(model.predict(IMAGES, batch_size=4, verbose=0)), want,
                               rtol=1e-4, atol=1e-5)


def test_extract_patches_with_an_unknown_batch_inside_a_compiled_function():
    fn = lambda x: ops.image.extract_patches(x, size=4)  # noqa: E731
    if config.backend() == "tensorflow":
        import tensorflow as tf
        fn = tf.function(fn, input_signature=[tf.TensorSpec((None, 8, 8, 3), tf.float32)])
    elif config.backend() == "jax":
        import jax
        fn = jax.jit(fn)
    out = _np(fn(IMAGES))
    np.testing.assert_allclose(out.reshape(7, 4, 48), _patches_reference(IMAGES, 4))


def test_image_ops_on_symbolic_inputs_infer_shapes():
    x = keras.Input(shape=(12, 12, 3))
    assert tuple(ops.image.rgb_to_grayscale(x).shape) == (None, 12, 12, 1)
    assert tuple(ops.image.sobel_edges(x).shape) == (None, 12, 12, 3, 2)
    assert tuple(ops.image.ssim(x, x).shape) == (None,)
    assert tuple(ops.image.pad_images(x, 1, 1, 1, 1).shape) == (None, 14, 14, 3)
    assert tuple(ops.image.crop_images(x, 1, 1, 1, 1).shape) == (None, 10, 10, 3)
    assert tuple(ops.image.gaussian_blur(x).shape) == (None, 12, 12, 3)


def test_elastic_transform_is_seeded_and_shape_preserving():
    x = _rng.random((2, 16, 16, 3)).astype("float32")
    a = _np(ops.image.elastic_transform(x, alpha=5.0, sigma=2.0, seed=3))
    b = _np(ops.image.elastic_transform(x, alpha=5.0, sigma=2.0, seed=3))
    c = _np(ops.image.elastic_transform(x, alpha=5.0, sigma=2.0, seed=4))
    assert a.shape == x.shape and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert not np.allclose(a, x)
    # The field moves pixels, it does not change their values: outputs stay in the input range.
    assert a.min() >= x.min() - 1e-6 and a.max() <= x.max() + 1e-6


def test_elastic_transform_without_displacement_is_identity():
    x = _rng.random((1, 3, 10, 10)).astype("float32")
    out = ops.image.elastic_transform(x, alpha=0.0, sigma=1.0, seed=1,
                                      data_format="channels_first")
    np.testing.assert_allclose(_np(out), x, atol=1e-6)


X4 = IMAGES[:2]


@pytest.mark.parametrize("call,error,message", [
    (lambda: ops.image.pad_images(X4, 1, 1), ValueError,
     r"pad_images: give exactly two of top_padding, bottom_padding and target_height"),
    (lambda: ops.image.pad_images(X4, -1, 0, 0, 0), ValueError,
     r"pad_images: `top_padding` must be >= 0; received top_padding=-1"),
    (lambda: ops.image.pad_images(X4, 4, 0, target_height=10, right_padding=0), ValueError,
     r"pad_images: `bottom_padding` works out to -2"),
    (lambda: ops.image.crop_images(X4, 1, 1, target_height=9, target_width=4), ValueError,
     r"crop_images: `bottom_cropping` works out to -2"),
    (lambda: ops.image.pad_images(X4[0, 0], 1, 1, 1, 1), ValueError,
     r"pad_images: `images` must have rank 3 or 4"),
    (lambda: ops.image.extract_patches(X4, (2, 2, 2, 2)), TypeError,
     r"extract_patches: `size` must be a positive int or a tuple of 2 positive ints"),
    (lambda: ops.image.extract_patches(X4, 2, padding="full"), ValueError,
     r"`padding` must be 'valid' or 'same'"),
    (lambda: ops.image.rgb_to_grayscale(X4[..., :2]), ValueError,
     r"rgb_to_grayscale: expected 1 or 3 channels on axis -1"),
    (lambda: ops.image.rgb_to_hsv((X4 * 255).astype("uint8")), ValueError,
     r"rgb_to_hsv: `images` must have a float dtype; received dtype uint8"),
    (lambda: ops.image.sobel_edges(X4[0]), ValueError, r"sobel_edges: `images` must have rank 4"),
    (lambda: ops.image.ssim(X4, X4[:1]), ValueError,
     r"ssim: `image1` and `image2` must have the same shape"),
    (lambda: ops.image.ssim(X4, X4), ValueError,
     r"ssim: images must be at least `filter_size`=11 pixels high and wide"),
    (lambda: ops.image.gaussian_blur(X4, sigma=(0.0, 1.0)), ValueError,
     r"gaussian_blur: `sigma` must be positive"),
    (lambda: ops.image.gaussian_blur(X4, kernel_size=(3, 3, 3)), ValueError,
     r"gaussian_blur: `kernel_size` must be one int or two"),
    (lambda: ops.image.map_coordinates(X4[0, :, :, 0], np.zeros((3, 4), "float32"), 1),
     ValueError, r"map_coordinates: `coordinates` must have shape \(rank of inputs, \.\.\.\)"),
    (lambda: ops.image.map_coordinates(X4[0, :, :, 0], np.zeros((2, 4), "float32"), 3),
     NotImplementedError, r"map_coordinates: `order` must be 0 or 1; received order=3"),
    (lambda: ops.image.map_coordinates(X4[0, :, :, 0], np.zeros((2, 4), "float32"), 1,
                                       fill_mode="edge"), ValueError,
     r"map_coordinates: unknown fill_mode 'edge'"),
    (lambda: ops.image.perspective_transform(X4, np.zeros((3, 2)), np.zeros((3, 2))),
     ValueError, r"perspective_transform: `start_points` must have shape \(4, 2\) or "
                 r"\(B, 4, 2\); received \(3, 2\)"),
    (lambda: ops.image.perspective_transform(X4, np.zeros((4, 2)), np.zeros((4, 2)),
                                             interpolation="cubic"), ValueError,
     r"perspective_transform: unknown interpolation 'cubic'"),
    (lambda: ops.image.perspective_transform(X4, np.zeros((4, 2)), np.zeros((4, 2)),
                                             interpolation="bicubic"), NotImplementedError,
     r"perspective_transform: interpolation='bicubic' is not supported by kfront"),
    (lambda: ops.image.scale_and_translate(X4, X4.shape, [1.0, 1.0], [0.0, 0.0], (1, 2),
                                           "area"), ValueError,
     r"scale_and_translate: unknown method 'area'"),
    (lambda: ops.image.scale_and_translate(X4, X4.shape, [1.0], [0.0, 0.0], (1, 2), "linear"),
     ValueError, r"scale_and_translate: `scale` must have one entry per spatial dim \(2\)"),
    (lambda: ops.image.elastic_transform(X4, fill_mode="edge"), ValueError,
     r"elastic_transform: unknown fill_mode 'edge'"),
    (lambda: ops.image.rgb_to_hsv(X4, data_format="nhwc"), ValueError,
     r"Unknown data_format 'nhwc'"),
])
def test_bad_arguments_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
