"""``GaussianNoise`` (additive) and ``GaussianDropout`` (multiplicative) noise, in training
only."""
import math

from kfront import ops, random
from kfront.layers.layer import Layer
from kfront.layers.regularization._shapes import concrete_shape
from kfront.random.seed_generator import SeedGenerator


class GaussianNoise(Layer):
    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError("GaussianNoise: `stddev` must be in [0, 1], received "
                             f"stddev={stddev!r}.")
        self.stddev = stddev
        self.seed = seed
        self.seed_generator = SeedGenerator(seed) if stddev > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            noise = random.normal(concrete_shape(inputs), stddev=self.stddev,
                                  dtype=ops.dtype(inputs), seed=self.seed_generator)
            return inputs + noise
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(Layer):
    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"GaussianDropout: `rate` must be in [0, 1], received rate={rate!r}.")
        self.rate = rate
        self.seed = seed
        self.seed_generator = SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and 0 < self.rate < 1:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = random.normal(concrete_shape(inputs), mean=1.0, stddev=stddev,
                                  dtype=ops.dtype(inputs), seed=self.seed_generator)
            return inputs * noise
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
