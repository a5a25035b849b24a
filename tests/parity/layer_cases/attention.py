"""Parity specs for the attention layers (and EinsumDense).

The harness passes inputs positionally; ``Routed`` names them (``query``, ``value_mask``...)
so that masks can be inputs too.
"""
from layer_spec import Input, spec

from kfront import layers


class Routed(layers.Layer):
    """Calls ``layer`` with the positional inputs bound to ``names``; a name of the form
    ``list:N`` gathers the next N inputs into one list argument, ``mask:N`` into ``mask=``."""

    def __init__(self, layer, names, **fixed):
        super().__init__()
        self.layer = layer
        self.names = names
        self.fixed = fixed

    def call(self, *inputs):
        args, kwargs, i = [], dict(self.fixed), 0
        for name in self.names:
            if name.startswith(("list:", "mask:")):
                n = int(name.split(":")[1])
                group, i = list(inputs[i:i + n]), i + n
                if name.startswith("list:"):
                    args.append(group)
                else:
                    kwargs["mask"] = group
            else:
                kwargs[name] = inputs[i]
                i += 1
        return self.layer(*args, **kwargs)


def mha(names, fixed=None, **init):
    return lambda: Routed(layers.MultiHeadAttention(**init), names, **(fixed or {}))


def attn(cls, names, fixed=None, **init):
    return lambda: Routed(getattr(layers, cls)(**init), names, **(fixed or {}))


Q, V, K = (2, 3, 6), (2, 4, 6), (2, 4, 5)
QM, VM = Input((2, 3), "bool"), Input((2, 4), "bool")
AM = Input((2, 3, 4), "bool")

SPECS = [
    spec("mha_cross_key", mha(["query", "value", "key"], num_heads=2, key_dim=4), [Q, V, K]),
    spec("mha_value_dim_output_shape",
         mha(["query", "value"], num_heads=2, key_dim=4, value_dim=3, output_shape=(2, 5),
             use_bias=False), [Q, V]),
    spec("mha_query_value_masks",
         mha(["query", "value", "query_mask", "value_mask"], num_heads=2, key_dim=4),
         [Q, V, QM, VM]),
    spec("mha_causal", mha(["query", "value"], {"use_causal_mask": True}, num_heads=2,
                           key_dim=4), [Q, Q]),
    spec("mha_causal_key_mask",
         mha(["query", "value", "key_mask"], {"use_causal_mask": True}, num_heads=2,
             key_dim=4), [Q, V, VM]),
    spec("mha_scores_attention_mask",
         mha(["query", "value", "attention_mask"], {"return_attention_scores": True},
             num_heads=2, key_dim=4), [Q, V, AM]),
    spec("mha_attention_axes",
         mha(["query", "value"], {"return_attention_scores": True}, num_heads=2, key_dim=3,
             attention_axes=(1, 2)), [(2, 3, 2, 6), (2, 3, 2, 6)]),
    spec("mha_gate_sliding_window",
         mha(["query", "value"], num_heads=2, key_dim=4, use_gate=True, sliding_window=2),
         [Q, V]),
    spec("attention_dot_masks",
         attn("Attention", ["list:2", "mask:2"], {"return_attention_scores": True},
              use_scale=True), [Q, V, QM, VM]),
    spec("attention_concat_causal_key",
         attn("Attention", ["list:3"], {"use_causal_mask": True}, score_mode="concat",
              use_scale=True), [Q, V, V]),
    spec("additive_attention_masks",
         attn("AdditiveAttention", ["list:2", "mask:2"], {"use_causal_mask": True}),
         [Q, V, QM, VM]),
    spec("einsum_dense_ellipsis", lambda: layers.EinsumDense("...b,bc->...c", 4,
                                                             bias_axes="c"), [(2, 3, 2, 6)]),
]
