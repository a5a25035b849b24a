"""``AlphaDropout``: dropout that keeps SELU's self-normalizing mean and variance."""
from kfront import ops, random
from kfront.layers.layer import Layer
from kfront.random.seed_generator import SeedGenerator

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"AlphaDropout: `rate` must be in [0, 1], received rate={rate!r}.")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.seed_generator = SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not (training and self.rate > 0):
            return inputs
        if self.rate >= 1:
            return ops.zeros_like(inputs)
        # The kept mask comes from dropout of ones (1/(1-rate) where kept), which takes a
        # partial noise_shape on every engine.
        kept = random.dropout(ops.ones_like(inputs), self.rate, noise_shape=self.noise_shape,
                              seed=self.seed_generator) * (1.0 - self.rate)
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        return a * (inputs * kept + alpha_p * (1.0 - kept)) + b

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}
