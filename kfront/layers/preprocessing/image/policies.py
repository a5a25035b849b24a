"""Augmentation policies built from the other layers: RandAugment and AugMix."""
from kfront import ops, random
from kfront.layers.preprocessing.image._augment import (AugmentationLayer, keras_factor,
                                                         value_range_arg)
from kfront.layers.preprocessing.image.color import RandomBrightness, RandomColorDegeneration
from kfront.layers.preprocessing.image.random_affine import RandomRotation, RandomTranslation
from kfront.layers.preprocessing.image.random_contrast import RandomContrast
from kfront.layers.preprocessing.image.tone import (AutoContrast, Equalization,
                                                    RandomPosterization, RandomSharpness,
                                                    Solarization)
from kfront.layers.preprocessing.image.warps import RandomShear
from kfront.ops import image as image_ops

_GEOMETRIC = ("random_shear", "random_translation", "random_rotation")
_TONE = ("random_posterization", "solarization", "auto_contrast", "equalization")
_COLOR = ("random_brightness", "random_color_degeneration", "random_contrast",
          "random_sharpness")


def pick(index, branches, images):
    """``branches[index](images)``, running only that branch.

    An eager index is read on the host and the branch called directly: an eager
    ``ops.switch`` would trace (and on JAX compile) every branch at every call. A traced
    index (a compiled step, a ``tf.data`` graph) goes through ``ops.switch``.
    """
    try:
        chosen = int(ops.convert_to_numpy(index))
    except Exception:  # noqa: BLE001 - each engine refuses to read a traced value its way
        return ops.switch(index, branches, images)
    return branches[min(max(chosen, 0), len(branches) - 1)](images)


class _Policy(AugmentationLayer):
    """Owns one sub-layer per operation (attributes named as in Keras) at ``factor``."""

    def __init__(self, value_range, factor, interpolation, seed, data_format, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.value_range = value_range_arg(owner, value_range)
        self.factor = keras_factor(owner, "factor", factor, 0.0, 1.0)
        self.interpolation = image_ops.check_interpolation(owner, interpolation)
        f, vr = self.factor, self.value_range
        common = {"seed": seed}
        self.random_shear = RandomShear(f, f, interpolation=interpolation, **common)
        self.random_translation = RandomTranslation(f, f, interpolation=interpolation, **common)
        self.random_rotation = RandomRotation(f, interpolation=interpolation, **common)
        self.random_brightness = RandomBrightness(f, value_range=vr, **common)
        self.random_color_degeneration = RandomColorDegeneration(f, value_range=vr, **common)
        self.random_contrast = RandomContrast(f, value_range=vr, **common)
        self.random_sharpness = RandomSharpness(f, value_range=vr, **common)
        self.solarization = Solarization(f, f, value_range=vr, **common)
        self.random_posterization = RandomPosterization(max(1, int(8 * f[1])), value_range=vr,
                                                        **common)
        self.auto_contrast = AutoContrast(value_range=vr)
        self.equalization = Equalization(value_range=vr)

    def _draw_all(self, names, images, seed):
        return {name: getattr(self, name).get_random_transformation(images, seed=seed)
                for name in names}

    def _apply_one(self, index, names, transforms, images):
        """Applies operation ``names[index]`` (a traced int): only that branch runs."""
        branches = [lambda x, n=name: getattr(self, n).transform_images(x, transforms[n])
                    for name in names]
        return pick(index, branches, images)


class RandAugment(_Policy):
    """Applies ``num_ops`` operations picked at random (the same for the whole batch) from
    shear, translation, rotation, brightness, color degeneration, contrast, sharpness,
    posterization, solarization, auto-contrast and equalization, while training
    (Cubuk et al., 2019).

    Args:
        value_range: the (low, high) range of the inputs.
        num_ops: how many operations to apply in a row (default 2).
        factor: a float in [0, 1] or a pair: the strength given to every operation.
        interpolation: "bilinear" (default) or "nearest", for the geometric operations.
        seed: an int for reproducible draws.

    Only the picked operations run (``ops.switch``), on every engine.
    """

    OPERATIONS = _GEOMETRIC + ("random_brightness", "random_color_degeneration",
                               "random_contrast", "random_sharpness", "random_posterization",
                               "solarization", "auto_contrast", "equalization")

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear",
                 seed=None, data_format=None, **kwargs):
        super().__init__(value_range, factor, interpolation, seed, data_format, **kwargs)
        if isinstance(num_ops, bool) or not isinstance(num_ops, int) or num_ops < 0:
            raise ValueError("RandAugment: `num_ops` must be a non-negative int. Received: "
                             f"num_ops={num_ops!r}")
        self.num_ops = num_ops

    def get_random_transformation(self, images, training=True, seed=None):
        seed = self._seed(seed)
        return {"layer_idxes": random.randint((self.num_ops,), 0, len(self.OPERATIONS),
                                              seed=seed),
                "transforms": self._draw_all(self.OPERATIONS, images, seed)}

    def transform_images(self, images, transformation, training=True):
        for i in range(self.num_ops):
            images = self._apply_one(transformation["layer_idxes"][i], self.OPERATIONS,
                                     transformation["transforms"], images)
        return images

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "num_ops": self.num_ops, "factor": self.factor,
                "interpolation": self.interpolation}


class AugMix(_Policy):
    """Mixes ``num_chains`` randomly augmented copies of each batch with the original while
    training (Hendrycks et al., 2020).

    Each chain applies up to ``chain_depth`` operations picked at random (each slot may
    also pick "none"); the chains are mixed with Dirichlet(alpha) weights, and the mix
    with the original by a Beta(alpha, alpha) weight. The result is clipped to
    ``value_range``. The picks are drawn as tensors, so they change at every step of a
    compiled model too.

    Args:
        value_range: the (low, high) range of the inputs.
        num_chains: the number of augmentation chains (default 3).
        chain_depth: the operations per chain (default 3).
        factor: a float in [0, 1] or a pair: the strength of every operation.
        alpha: the Dirichlet and Beta concentration (default 1).
        all_ops: True (default) to also use brightness, color degeneration, contrast and
            sharpness, which the AugMix paper leaves out because they overlap with common
            corruption benchmarks.
        interpolation: "bilinear" (default) or "nearest".
        seed: an int for reproducible draws.
    """

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3,
                 alpha=1.0, all_ops=True, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(value_range, factor, interpolation, seed, data_format, **kwargs)
        for name, value in (("num_chains", num_chains), ("chain_depth", chain_depth)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"AugMix: `{name}` must be a positive int. Received: "
                                 f"{name}={value!r}")
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(f"AugMix: `alpha` must be a positive number. Received: "
                             f"alpha={alpha!r}")
        self.num_chains, self.chain_depth = num_chains, chain_depth
        self.alpha, self.all_ops = alpha, bool(all_ops)
        self.operations = _GEOMETRIC + _TONE + (_COLOR if self.all_ops else ())

    def get_random_transformation(self, images, training=True, seed=None):
        seed = self._seed(seed)
        gamma = random.gamma((self.num_chains,), self.alpha, seed=seed)
        slots = self.num_chains * self.chain_depth
        return {"chain_mixing_weights": gamma / ops.sum(gamma),
                "weight_sample": random.beta((), self.alpha, self.alpha, seed=seed),
                # An index equal to len(operations) leaves the slot empty.
                "layer_idxes": random.randint((slots,), 0, len(self.operations) + 1,
                                              seed=seed),
                "transforms": [self._draw_all(self.operations, images, seed)
                               for _ in range(slots)]}

    def transform_images(self, images, transformation, training=True):
        weights = ops.cast(transformation["chain_mixing_weights"], ops.dtype(images))
        mixed = ops.zeros_like(images)
        for chain in range(self.num_chains):
            x = images
            for depth in range(self.chain_depth):
                slot = chain * self.chain_depth + depth
                transforms = transformation["transforms"][slot]
                branches = [lambda y, n=name: getattr(self, n).transform_images(y, transforms[n])
                            for name in self.operations] + [lambda y: y]
                x = pick(transformation["layer_idxes"][slot], branches, x)
            mixed = mixed + x * weights[chain]
        w = ops.cast(transformation["weight_sample"], ops.dtype(images))
        out = w * images + (1.0 - w) * mixed
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "num_chains": self.num_chains, "chain_depth": self.chain_depth,
                "factor": self.factor, "alpha": self.alpha, "all_ops": self.all_ops,
                "interpolation": self.interpolation}
