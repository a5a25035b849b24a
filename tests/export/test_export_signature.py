"""Input signatures: what users pass as ``input_signature`` becomes ``InputSpec``s, and a
model's own signature has a dynamic batch size."""
import numpy as np
import pytest

import kfront as keras
from kfront.export import signature as sig
from export_models import two_inputs


class TensorSpec:
    """Stands in for ``tf.TensorSpec``: a shape, a dtype with a ``name``, a name."""

    class DType:
        name = "float32"

    def __init__(self, shape, name=None):
        self.shape, self.dtype, self.name = shape, self.DType(), name


def test_user_signatures_become_input_specs():
    specs = sig.as_specs([
        keras.InputSpec(shape=(None, 3), dtype="float32", name="x"),
        [np.zeros((4, 2), "int32"), keras.Input((5,), name="k")],
        {"t": TensorSpec((2, None), name="t")},
    ])
    flat = [(s.shape, s.dtype, s.name) for s in keras.tree.flatten(specs)]
    assert flat == [((None, 3), "float32", "x"),
                    ((None, 2), "int32", None),      # an array's batch becomes dynamic
                    ((None, 5), "float32", "k"),
                    ((2, None), "float32", "t")]     # a spec's shape is kept as given
    assert sig.flat_names(specs) == ["x", "input_1", "k", "t"]
    assert sig.from_json(sig.to_json(specs))[2]["t"].shape == (2, None)


def test_model_signature_is_one_argument_with_dynamic_batch():
    [arg] = sig.model_signature(two_inputs())
    assert [(s.shape, s.dtype, s.name) for s in arg] == [((None, 4), "float32", "a"),
                                                         ((None, 3), "float32", "b")]


def test_bad_signatures():
    with pytest.raises(ValueError, match="must be a list with one entry per positional "
                                         "argument.*received dict"):
        sig.as_specs({"x": keras.InputSpec(shape=(None, 3), dtype="float32")})
    with pytest.raises(TypeError, match="Unsupported entry in `input_signature`: 3 of type "
                                        "int"):
        sig.as_specs([3])
