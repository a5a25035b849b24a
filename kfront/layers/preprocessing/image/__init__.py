"""Image preprocessing layers: rescaling, resizing, cropping and random augmentation."""
from kfront.layers.preprocessing.image.random_affine import (RandomRotation, RandomTranslation,
                                                             RandomZoom)
from kfront.layers.preprocessing.image.random_contrast import RandomContrast
from kfront.layers.preprocessing.image.random_crop import RandomCrop
from kfront.layers.preprocessing.image.random_flip import RandomFlip
from kfront.layers.preprocessing.image.rescaling import Rescaling
from kfront.layers.preprocessing.image.resizing import CenterCrop, Resizing
# Keras 3's augmentation layers (the draw/apply split of ``_augment``).
from kfront.layers.preprocessing.image.color import (RandomBrightness, RandomColorDegeneration,
                                                     RandomColorJitter, RandomGrayscale,
                                                     RandomHue, RandomInvert, RandomSaturation)
from kfront.layers.preprocessing.image.tone import (AutoContrast, Equalization,
                                                    RandomPosterization, RandomSharpness,
                                                    Solarization)
from kfront.layers.preprocessing.image.blur import RandomGaussianBlur
from kfront.layers.preprocessing.image.clahe import ContrastLimitedAdaptiveHistogramEqualization
from kfront.layers.preprocessing.image.erasing import RandomErasing
from kfront.layers.preprocessing.image.mixing import CutMix, MixUp
from kfront.layers.preprocessing.image.pipeline import Pipeline
from kfront.layers.preprocessing.image.policies import AugMix, RandAugment
from kfront.layers.preprocessing.image.warps import (RandomElasticTransform, RandomPerspective,
                                                     RandomShear)

__all__ = ["CenterCrop", "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation",
           "RandomTranslation", "RandomZoom", "Rescaling", "Resizing",
           "AutoContrast", "Equalization", "RandomBrightness", "RandomColorDegeneration",
           "RandomColorJitter", "RandomGrayscale", "RandomHue", "RandomInvert",
           "RandomPosterization", "RandomSaturation", "RandomSharpness", "Solarization",
           "AugMix", "ContrastLimitedAdaptiveHistogramEqualization", "CutMix", "MixUp",
           "Pipeline", "RandAugment", "RandomElasticTransform", "RandomErasing",
           "RandomGaussianBlur", "RandomPerspective", "RandomShear"]
