"""The random layers' draws: ranges, frequencies and what each output is made of."""
import numpy as np

from kfront import layers, ops
from aug_layers import jax_slow

RNG = np.random.RandomState(5)
X = RNG.randint(0, 256, (64, 8, 8, 3)).astype("float32")
FLAT = np.full((64, 4, 4, 3), 100.0, "float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_brightness_offsets_cover_the_factor_range():
    out = _np(layers.RandomBrightness((-0.2, 0.1), seed=3)(FLAT))
    delta = out[:, 0, 0, 0] - 100.0
    assert (out == out[:, :1, :1, :1]).all()  # one offset per image
    assert delta.min() >= -0.2 * 255 - 1e-3 and delta.max() <= 0.1 * 255 + 1e-3
    assert delta.min() < -35 and delta.max() > 10  # spread over the range


def test_invert_and_grayscale_frequencies():
    inv = _np(layers.RandomInvert((1.0, 1.0), seed=3)(X))
    np.testing.assert_array_equal(inv, 255 - X)
    half = _np(layers.RandomInvert(1.0, seed=3)(X))
    flipped = np.array([np.array_equal(o, 255 - x) for o, x in zip(half, X)])
    kept = np.array([np.array_equal(o, x) for o, x in zip(half, X)])
    assert (flipped | kept).all() and 16 <= flipped.sum() <= 48  # chance U(0,1): 1/2
    gray = _np(layers.RandomGrayscale(0.5, seed=3)(X))
    is_gray = np.array([np.allclose(g[..., 0], g[..., 2]) for g in gray])
    assert 16 <= is_gray.sum() <= 48
    np.testing.assert_array_equal(gray[~is_gray], X[~is_gray])
    assert (_np(layers.RandomGrayscale(1.0, seed=3)(X)).std(axis=-1) < 1e-4).all()


def test_posterization_keeps_the_drawn_number_of_bits():
    out = _np(layers.RandomPosterization((2, 4), seed=3)(X)).astype(int)
    # Every image keeps 2, 3 or 4 bits: all its values are multiples of 2 ** (8 - bits),
    # and the fewest bits that explain an image are the ones drawn.
    bits = [min(b for b in (2, 3, 4, 8) if (o % 2 ** (8 - b) == 0).all()) for o in out]
    assert set(bits) == {2, 3, 4}


@jax_slow
def test_mixup_is_a_convex_mix_with_a_shuffled_image():
    layer = layers.MixUp(alpha=0.5, seed=3)
    images = ops.convert_to_tensor(X)
    t = layer.get_random_transformation(images)
    w, perm = _np(t["mix_weight"]), _np(t["permutation_order"])
    assert sorted(perm.tolist()) == list(range(64)) and (perm != np.arange(64)).any()
    assert ((w >= 0) & (w <= 1)).all() and abs(w.mean() - 0.5) < 0.12
    np.testing.assert_allclose(_np(layer.transform_images(images, t)),
                               w[:, None, None, None] * X
                               + (1 - w[:, None, None, None]) * X[perm], rtol=1e-5, atol=1e-3)


@jax_slow
def test_cutmix_pastes_one_box_from_the_shuffled_image():
    layer = layers.CutMix(seed=3)
    images = ops.convert_to_tensor(X)
    t = layer.get_random_transformation(images)
    mask, perm = _np(t["batch_masks"])[..., 0], _np(t["permutation_order"])
    out = _np(layer.transform_images(images, t))
    np.testing.assert_array_equal(out, np.where(mask[..., None], X[perm], X))
    for m in mask:  # the pasted pixels form one axis-aligned box
        if m.any():
            rows, cols = np.where(m.any(1))[0], np.where(m.any(0))[0]
            assert m[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].all()
    np.testing.assert_allclose(_np(t["mix_weight"]), 1 - mask.mean(axis=(1, 2)), atol=0.3)
    np.testing.assert_array_equal(_np(layer(X[0])), X[0])  # unbatched: unchanged


@jax_slow
def test_erasing_boxes_follow_scale_and_fill_value():
    out = _np(layers.RandomErasing(factor=(1.0, 1.0), scale=(0.25, 0.25), fill_value=7.0,
                                   seed=3)(np.full((16, 16, 16, 3), 200.0, "float32")))
    erased = (out == 7.0).all(-1)
    # sqrt(0.25) = half of each side: a 8x8 box.
    assert ((erased.sum(axis=(1, 2)) >= 49) & (erased.sum(axis=(1, 2)) <= 81)).all()
    noise = _np(layers.RandomErasing(factor=(1.0, 1.0), seed=3)(FLAT))
    assert noise.min() >= 0 and noise.max() <= 255


def test_hue_keeps_value_and_saturation_half_keeps_images():
    out = _np(layers.RandomHue(0.5, seed=3)(X))
    np.testing.assert_allclose(out.max(-1), X.max(-1), atol=1e-2)  # V is unchanged
    same = _np(layers.RandomSaturation((0.5, 0.5), seed=3)(X))
    np.testing.assert_allclose(same, X, atol=1e-2)
    gray = _np(layers.RandomSaturation((0.0, 0.0), seed=3)(X))
    np.testing.assert_allclose(gray.min(-1), gray.max(-1), atol=1e-2)


@jax_slow
def test_blur_perspective_elastic_apply_per_image_by_chance():
    for layer in (layers.RandomGaussianBlur(factor=0.5, seed=3),
                  layers.RandomPerspective(factor=0.5, seed=3),
                  layers.RandomElasticTransform(factor=0.5, seed=3)):
        out = _np(layer(X))
        kept = np.array([np.array_equal(o, x) for o, x in zip(out, X)])
        assert 4 <= kept.sum() <= 60, type(layer).__name__  # about 3/4 kept
    np.testing.assert_allclose(_np(layers.RandomPerspective(scale=0.0, seed=1)(X)), X, atol=1e-3)


def test_shear_is_bounded_and_keeps_the_top_left_pixel():
    layer = layers.RandomShear(0.3, 0.2, seed=3)
    t = _np(layer.get_random_transformation(ops.convert_to_tensor(X))["shear_factor"])
    assert (np.abs(t[:, 0]) <= 0.3).all() and (np.abs(t[:, 1]) <= 0.2).all()
    assert (t[:, 0] < 0).any() and (t[:, 0] > 0).any()
    np.testing.assert_allclose(_np(layer(X))[:, 0, 0], X[:, 0, 0], atol=1e-3)


@jax_slow
def test_rand_augment_picks_vary_and_num_ops_zero_is_identity():
    layer = layers.RandAugment(seed=3)
    picks = {tuple(_np(layer.get_random_transformation(ops.convert_to_tensor(X))
                       ["layer_idxes"])) for _ in range(12)}
    assert len(picks) > 4 and all(0 <= i < 11 for p in picks for i in p)
    np.testing.assert_array_equal(_np(layers.RandAugment(num_ops=0, seed=1)(X)), X)
    out = _np(layers.AugMix(seed=3, chain_depth=1, num_chains=1)(X[:4]))
    assert out.min() >= 0 and out.max() <= 255
