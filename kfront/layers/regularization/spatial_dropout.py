"""``SpatialDropout1D/2D/3D``: drop whole feature maps (every position of a channel)."""
from kfront import config, random
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer
from kfront.random.seed_generator import SeedGenerator


def standardize_data_format(name, data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"{name}: unknown data_format {data_format!r}; expected "
                         "'channels_last' or 'channels_first'.")
    return data_format


class _SpatialDropout(Layer):
    _rank = None

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"{type(self).__name__}: `rate` must be in [0, 1], received "
                             f"rate={rate!r}.")
        self.rate = float(rate)
        self.seed = seed
        self.data_format = standardize_data_format(type(self).__name__, data_format)
        self.seed_generator = SeedGenerator(seed) if self.rate > 0 else None
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self.built = True

    def _noise_shape(self):
        # None takes the input's size there: batch and channels vary, space is shared.
        ones = (1,) * self._rank
        if self.data_format == "channels_first":
            return (None, None) + ones
        return (None,) + ones + (None,)

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate, noise_shape=self._noise_shape(),
                                  seed=self.seed_generator)
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = {**super().get_config(), "rate": self.rate, "seed": self.seed}
        if self._rank > 1:
            config["data_format"] = self.data_format
        return config


class SpatialDropout1D(_SpatialDropout):
    _rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, data_format="channels_last", seed=seed, name=name, dtype=dtype,
                         **kwargs)


class SpatialDropout2D(_SpatialDropout):
    _rank = 2


class SpatialDropout3D(_SpatialDropout):
    _rank = 3
