"""Masks reach ``query_mask``/``value_mask``/``key_mask`` (and Attention's ``mask``) from the
tensors passed, as in Keras 3: Embedding(mask_zero=True) -> attention needs no explicit mask."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

IDS = np.array([[3, 5, 0, 0], [2, 0, 7, 1]])
KEY_IDS = np.array([[1, 0, 2, 0], [4, 4, 0, 9]])
TOL = dict(rtol=1e-5, atol=1e-6)


def np_(t):
    return np.asarray(ops.convert_to_numpy(t))


def _embedded(seed):
    keras.utils.set_random_seed(seed)
    return layers.Embedding(10, 6, mask_zero=True)


def test_functional_mha_takes_masks_from_embeddings():
    emb, key_emb = _embedded(1), _embedded(2)
    mha = layers.MultiHeadAttention(2, 3)
    q_in = keras.Input((4,), dtype="int32")
    k_in = keras.Input((4,), dtype="int32")
    q, k = emb(q_in), key_emb(k_in)
    model = keras.Model([q_in, k_in], mha(q, q, k))
    got = np_(model([IDS, KEY_IDS]))
    want = np_(mha(np_(emb(IDS)), np_(emb(IDS)), np_(key_emb(KEY_IDS)),
                   query_mask=IDS != 0, value_mask=IDS != 0, key_mask=KEY_IDS != 0))
    unmasked = np_(mha(np_(emb(IDS)), np_(emb(IDS)), np_(key_emb(KEY_IDS))))
    np.testing.assert_allclose(got, want, **TOL)
    assert not np.allclose(got, unmasked, atol=1e-3)


def test_eager_and_sequential_calls_find_the_masks():
    emb = _embedded(3)
    mha = layers.MultiHeadAttention(2, 3)
    x = emb(IDS)
    explicit = np_(mha(np_(x), np_(x), query_mask=IDS != 0, value_mask=IDS != 0))
    np.testing.assert_allclose(np_(mha(x, x)), explicit, **TOL)
    # An explicit mask wins over the propagated one.
    ones = np.ones_like(IDS, bool)
    np.testing.assert_allclose(np_(mha(x, x, query_mask=ones, value_mask=ones)),
                               np_(mha(np_(x), np_(x))), **TOL)


@pytest.mark.parametrize("cls", ["Attention", "AdditiveAttention"])
def test_functional_attention_takes_the_list_masks(cls):
    emb = _embedded(4)
    layer = getattr(layers, cls)()
    inp = keras.Input((4,), dtype="int32")
    e = emb(inp)
    model = keras.Model(inp, layer([e, e]))
    want = np_(layer([np_(emb(IDS)), np_(emb(IDS))], mask=[IDS != 0, IDS != 0]))
    np.testing.assert_allclose(np_(model(IDS)), want, **TOL)
