"""Bad arguments raise at construction with a message naming the argument and the value."""
import pytest

from kfront import layers


@pytest.mark.parametrize("make,match", [
    (lambda: layers.RandomBrightness(-1.5), r"RandomBrightness: the `factor` argument .* "
                                            r"range \[-1.0, 1.0\]. Received: factor=-1.5"),
    (lambda: layers.RandomHue(-0.2), r"RandomHue: the `factor` .*\[0.0, 1.0\].*factor=-0.2"),
    (lambda: layers.RandomSharpness((0.2, 1.4)), r"RandomSharpness: .*factor=\(0.2, 1.4\)"),
    (lambda: layers.RandomInvert("half"), r"RandomInvert: .*factor='half'"),
    (lambda: layers.RandomPosterization(9), r"RandomPosterization: .*\[1, 8\].*factor=9"),
    (lambda: layers.RandomPosterization(2.5), r"whole numbers of bits.*factor=2.5"),
    (lambda: layers.RandomGrayscale(-0.1), r"`factor` should be between 0 and 1.*-0.1"),
    (lambda: layers.CutMix(1.5), r"CutMix: the `factor`.*factor=1.5"),
    (lambda: layers.MixUp(alpha=0), r"MixUp: `alpha` must be a positive number.*alpha=0"),
    (lambda: layers.Solarization(addition_factor=-0.1),
     r"Solarization: the `addition_factor`.*addition_factor=-0.1"),
    (lambda: layers.RandomShear(x_factor=1.2), r"RandomShear: the `x_factor`.*x_factor=1.2"),
    (lambda: layers.RandomPerspective(scale=2.0), r"`scale` argument .*\[0,1\].*scale=2.0"),
    (lambda: layers.RandomErasing(scale=(0.1, 2)), r"RandomErasing: the `scale`.*"),
    (lambda: layers.RandomErasing(fill_value="red"), r"`fill_value` .*fill_value='red'"),
    (lambda: layers.RandomGaussianBlur(kernel_size=4), r"kernel_size must be an odd number"),
    (lambda: layers.RandomGaussianBlur(sigma=3.0), r"the `sigma` argument.*sigma=3.0"),
    (lambda: layers.RandAugment(num_ops=-1), r"RandAugment: `num_ops` must be a non-negative"),
    (lambda: layers.AugMix(chain_depth=0), r"AugMix: `chain_depth` must be a positive int"),
    (lambda: layers.Equalization(bins=1), r"Equalization: `bins` must be an int >= 2"),
    (lambda: layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(0, 2)),
     r"`tile_grid_size` must be two positive ints.*\(0, 2\)"),
    (lambda: layers.Pipeline(["not a layer"]), r"Pipeline: `layers` must be a list"),
])
def test_bad_argument_messages(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("cls", [layers.RandomBrightness, layers.RandomSaturation,
                                 layers.RandomHue, layers.RandomInvert, layers.Solarization,
                                 layers.AutoContrast, layers.Equalization,
                                 layers.RandAugment, layers.RandomErasing])
def test_value_range_must_be_low_high(cls):
    args = (0.2,) if cls in (layers.RandomBrightness, layers.RandomSaturation,
                             layers.RandomHue) else ()
    with pytest.raises(ValueError, match=r"low < high. Received: value_range=\(255, 0\)"):
        cls(*args, value_range=(255, 0))
    with pytest.raises(ValueError, match=r"list of two numbers.*value_range=5"):
        cls(*args, value_range=5)


@pytest.mark.parametrize("make", [
    lambda m: layers.RandomShear(0.1, fill_mode=m),
    lambda m: layers.RandomElasticTransform(fill_mode=m),
])
def test_unknown_fill_mode_and_interpolation(make):
    with pytest.raises(ValueError, match=r"unknown fill_mode 'smear'"):
        make("smear")
    with pytest.raises(ValueError, match=r"unknown interpolation 'cubic'"):
        layers.RandomPerspective(interpolation="cubic")
