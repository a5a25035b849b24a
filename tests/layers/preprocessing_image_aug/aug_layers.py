"""Every augmentation layer, seeded, in one table the behaviour tests share."""
from kfront import layers

LAYERS = {
    "RandomBrightness": lambda **k: layers.RandomBrightness(0.3, seed=1, **k),
    "RandomSaturation": lambda **k: layers.RandomSaturation(0.4, seed=1, **k),
    "RandomHue": lambda **k: layers.RandomHue(0.4, seed=1, **k),
    "RandomColorDegeneration": lambda **k: layers.RandomColorDegeneration(0.5, seed=1, **k),
    "RandomColorJitter": lambda **k: layers.RandomColorJitter(
        brightness_factor=0.2, contrast_factor=0.3, saturation_factor=0.4, hue_factor=0.2,
        seed=1, **k),
    "RandomGrayscale": lambda **k: layers.RandomGrayscale(0.5, seed=1, **k),
    "RandomInvert": lambda **k: layers.RandomInvert(0.8, seed=1, **k),
    "RandomPosterization": lambda **k: layers.RandomPosterization(6, seed=1, **k),
    "RandomSharpness": lambda **k: layers.RandomSharpness(0.8, seed=1, **k),
    "Solarization": lambda **k: layers.Solarization(0.3, 0.8, seed=1, **k),
    "AutoContrast": lambda **k: layers.AutoContrast(**k),
    "Equalization": lambda **k: layers.Equalization(**k),
    "ContrastLimitedAdaptiveHistogramEqualization": lambda **k:
        layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 3), **k),
    "CutMix": lambda **k: layers.CutMix(seed=1, **k),
    "MixUp": lambda **k: layers.MixUp(seed=1, **k),
    "RandomErasing": lambda **k: layers.RandomErasing(seed=1, **k),
    "RandomGaussianBlur": lambda **k: layers.RandomGaussianBlur(kernel_size=(3, 5), seed=1,
                                                                 **k),
    "RandomShear": lambda **k: layers.RandomShear(0.3, 0.2, seed=1, **k),
    "RandomPerspective": lambda **k: layers.RandomPerspective(scale=0.4, seed=1, **k),
    "RandomElasticTransform": lambda **k: layers.RandomElasticTransform(seed=1, **k),
    "RandAugment": lambda **k: layers.RandAugment(seed=1, **k),
    "AugMix": lambda **k: layers.AugMix(num_chains=2, chain_depth=2, seed=1, **k),
}
# Applied at inference too, as in Keras.
ALWAYS = ("AutoContrast", "ContrastLimitedAdaptiveHistogramEqualization")

# JAX compiles every eager op for each new shape, so the layers built from many ops cost
# seconds per call there. Those checks are ``slow`` on JAX only (they run on torch and
# TensorFlow in the default run; KFRONT_SLOW_BACKENDS=jax runs them on JAX).
import pytest  # noqa: E402

from kfront import config  # noqa: E402

ON_JAX = config.backend() == "jax"
JAX_HEAVY = ("AugMix", "ContrastLimitedAdaptiveHistogramEqualization", "RandAugment", "MixUp",
             "RandomColorJitter", "RandomErasing", "RandomElasticTransform",
             "RandomPerspective", "CutMix", "RandomGaussianBlur")


def jax_slow(test):
    """Marks ``test`` slow on JAX only."""
    return pytest.mark.slow(test) if ON_JAX else test


def layer_params(names):
    return [pytest.param(n, marks=[pytest.mark.slow] if ON_JAX and n in JAX_HEAVY else [])
            for n in names]
