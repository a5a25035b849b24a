"""``AdditiveAttention``: Bahdanau-style attention, scores ``sum(scale * tanh(q + k))``."""
from kfront import ops
from kfront.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_shapes(input_shape)
        dim = tuple(input_shape[0])[-1]
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(dim,),
                                         initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        q = ops.expand_dims(query, -2)                                     # (B, Tq, 1, d)
        k = ops.expand_dims(key, -3)                                       # (B, 1, Tv, d)
        x = ops.tanh(q + k)
        if self.scale is not None:
            x = ops.multiply(self.scale.value, x)
        return ops.sum(x, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
