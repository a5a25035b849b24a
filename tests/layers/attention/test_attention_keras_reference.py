"""The attention layers give the numbers of the real Keras 3 layers (same weights, same
inputs), computed once in a subprocess with Keras's NumPy backend.

Keras 3.15 ignores an explicit ``query_mask`` argument of MultiHeadAttention (it reads only the
mask attached to the query tensor); where kfront is given ``query_mask``, Keras is given the
equivalent ``attention_mask`` of shape (B, T, 1), which is how Keras applies a query mask.
"""
import importlib.util
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

import kfront as keras
from kfront import layers, utils

# Looked up, not imported: Keras runs only in the subprocess.
pytestmark = pytest.mark.skipif(importlib.util.find_spec("keras") is None,
                                reason="the real Keras package gives the reference")

HERE = os.path.dirname(__file__)
RNG = np.random.default_rng(17)
B, T, S, D = 2, 3, 4, 6
Q = RNG.normal(size=(B, T, D)).astype("float32")
V = RNG.normal(size=(B, S, D)).astype("float32")
K = RNG.normal(size=(B, S, 5)).astype("float32")
X4 = RNG.normal(size=(B, 3, 2, D)).astype("float32")
QMASK = np.array([[True, True, False], [True, False, True]])
VMASK = np.array([[True, False, True, True], [False, False, True, True]])
AMASK = RNG.random((B, T, S)) > 0.3

# id: (class, constructor kwargs, call args, call kwargs, Keras call kwargs if different)
CASES = {
    "mha": ("MultiHeadAttention", dict(num_heads=2, key_dim=4), [Q, V, K], {}, None),
    "mha_value_dim_output_shape": (
        "MultiHeadAttention", dict(num_heads=2, key_dim=4, value_dim=3, output_shape=5),
        [Q, V], {}, None),
    "mha_value_mask": ("MultiHeadAttention", dict(num_heads=2, key_dim=4), [Q, V, K],
                       dict(value_mask=VMASK), None),
    "mha_key_mask_causal": ("MultiHeadAttention", dict(num_heads=2, key_dim=4), [Q, V, K],
                            dict(key_mask=VMASK, use_causal_mask=True), None),
    "mha_causal": ("MultiHeadAttention", dict(num_heads=3, key_dim=2), [Q, Q],
                   dict(use_causal_mask=True), None),
    "mha_attention_mask_scores": (
        "MultiHeadAttention", dict(num_heads=2, key_dim=4), [Q, V],
        dict(attention_mask=AMASK, return_attention_scores=True), None),
    "mha_query_mask": (
        "MultiHeadAttention", dict(num_heads=2, key_dim=4), [Q, V],
        dict(query_mask=QMASK, value_mask=VMASK),
        dict(attention_mask=QMASK[:, :, None], value_mask=VMASK)),
    "mha_query_mask_scores": (
        "MultiHeadAttention", dict(num_heads=2, key_dim=4), [Q, V],
        dict(query_mask=QMASK, return_attention_scores=True),
        dict(attention_mask=QMASK[:, :, None], return_attention_scores=True)),
    "mha_attention_axes": ("MultiHeadAttention",
                           dict(num_heads=2, key_dim=3, attention_axes=(1, 2)), [X4, X4],
                           dict(return_attention_scores=True), None),
    "mha_gate": ("MultiHeadAttention", dict(num_heads=2, key_dim=4, use_gate=True), [Q, V],
                 {}, None),
    "attention_dot": ("Attention", dict(use_scale=True), [[Q, V]],
                      dict(mask=[QMASK, VMASK], return_attention_scores=True), None),
    "attention_causal_key": ("Attention", {}, [[Q, V, V[..., ::-1]]],
                             dict(use_causal_mask=True), None),
    "attention_concat": ("Attention", dict(use_scale=True, score_mode="concat"), [[Q, V]],
                         dict(mask=[None, VMASK], return_attention_scores=True), None),
    "additive": ("AdditiveAttention", {}, [[Q, V]],
                 dict(mask=[QMASK, VMASK], use_causal_mask=True,
                      return_attention_scores=True), None),
    "einsum_dense": ("EinsumDense", dict(equation="abc,cde->abde", output_shape=(None, 2, 4),
                                         bias_axes="de", activation="relu"), [Q], {}, None),
}


def _perturbed(weights, rng):
    # Non-trivial values for every weight (biases start at zero, scales at one).
    return [(w + rng.normal(scale=0.3, size=w.shape)).astype("float32") for w in weights]


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    ours, cases = {}, []
    rng = np.random.default_rng(0)
    for case_id, (cls, init, args, kwargs, keras_kwargs) in CASES.items():
        utils.set_random_seed(1)
        layer = getattr(layers, cls)(**init)
        layer(*args, **kwargs)
        weights = _perturbed(layer.get_weights(), rng)
        layer.set_weights(weights)
        result = layer(*args, **kwargs)
        result = result if isinstance(result, (list, tuple)) else [result]
        ours[case_id] = [np.asarray(keras.ops.convert_to_numpy(r)) for r in result]
        cases.append(dict(id=case_id, cls=cls, init=init, args=args,
                          kwargs=kwargs if keras_kwargs is None else keras_kwargs,
                          weights=weights))
    tmp = tmp_path_factory.mktemp("keras_attention")
    with open(tmp / "cases.pkl", "wb") as f:
        pickle.dump(cases, f)
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    proc = subprocess.run([sys.executable, os.path.join(HERE, "keras_attention_worker.py"),
                           str(tmp / "cases.pkl"), str(tmp / "out.npz")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with np.load(tmp / "out.npz") as data:
        theirs = dict(data)
    return ours, theirs


@pytest.mark.parametrize("case_id", list(CASES))
def test_attention_layer_matches_keras(computed, case_id):
    ours, theirs = computed
    got = ours[case_id]
    want = [theirs[f"{case_id}/{i}"] for i in range(len([k for k in theirs
                                                           if k.startswith(case_id + "/")]))]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5, err_msg=case_id)


# Configs as Keras 3.15 writes them (get_config of the real layers).
_GLOROT = {"module": "keras.initializers", "class_name": "GlorotUniform",
           "config": {"seed": None, "input_axes": None, "output_axes": None},
           "registered_name": None}
_ZEROS = {"module": "keras.initializers", "class_name": "Zeros", "config": {},
          "registered_name": None}
_POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
           "registered_name": None}
KERAS_CONFIGS = {
    "MultiHeadAttention": {
        "name": "multi_head_attention", "trainable": True, "dtype": _POLICY, "num_heads": 2,
        "key_dim": 4, "value_dim": 3, "dropout": 0.0, "use_bias": True, "use_gate": False,
        "output_shape": [5], "attention_axes": [1], "sliding_window": None,
        "kernel_initializer": _GLOROT, "bias_initializer": _ZEROS,
        "kernel_regularizer": {"module": "keras.regularizers", "class_name": "L2",
                               "config": {"l2": 0.01}, "registered_name": None},
        "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None, "seed": 3},
    "EinsumDense": {
        "name": "einsum_dense", "trainable": True, "dtype": _POLICY, "output_shape": [None, 4],
        "equation": "abc,cd->abd", "activation": "linear", "bias_axes": "d",
        "kernel_initializer": _GLOROT, "bias_initializer": _ZEROS, "kernel_regularizer": None,
        "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None, "quantization_config": None},
    "Attention": {"name": "attention", "trainable": True, "dtype": _POLICY, "use_scale": True,
                  "score_mode": "concat", "dropout": 0.0, "seed": None},
    "AdditiveAttention": {"name": "additive_attention", "trainable": True, "dtype": _POLICY,
                          "use_scale": True, "dropout": 0.0, "seed": None},
}


@pytest.mark.parametrize("cls", list(KERAS_CONFIGS))
def test_attention_layers_load_keras_configs(cls):
    layer = getattr(layers, cls).from_config(KERAS_CONFIGS[cls])
    x = np.zeros((1, 3, 6), "float32")
    out = layer(x, x) if cls == "MultiHeadAttention" else layer([x, x]) \
        if "Attention" in cls else layer(x)
    want = {"MultiHeadAttention": (1, 3, 5), "EinsumDense": (1, 3, 4)}.get(cls, (1, 3, 6))
    assert tuple(out.shape) == want
    assert layer.name == KERAS_CONFIGS[cls]["name"]
