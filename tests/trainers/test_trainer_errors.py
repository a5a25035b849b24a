"""Bad input to compile/fit/evaluate/predict fails early, with a message that says what
to fix, and as kfront's own error rather than an engine's."""
import os

import numpy as np
import pytest

import kfront
from kfront import layers
from trainer_helpers import X, Y_BINARY, Y_ONEHOT, Y_SPARSE, binary_model

KFRONT_DIR = os.path.dirname(kfront.__file__)


@pytest.fixture(scope="module")
def model():
    m = binary_model()
    m.compile(optimizer="sgd", loss="binary_crossentropy")
    return m


def assert_raised_by_kfront(excinfo):
    """The error comes from kfront's checks, not from inside the engine."""
    assert excinfo.value.__cause__ is None
    assert os.path.abspath(str(excinfo.traceback[-1].path)).startswith(KFRONT_DIR), \
        excinfo.traceback[-1].path


@pytest.mark.parametrize("call", ["fit", "evaluate", "train_on_batch", "test_on_batch"])
def test_methods_before_compile_name_compile(call):
    m = binary_model()
    with pytest.raises(RuntimeError, match=rf"must call `compile\(\)` before calling "
                                           rf"`{call}\(\)` on model \"{m.name}\""):
        getattr(m, call)(X, Y_BINARY)


def test_x_y_length_mismatch(model):
    with pytest.raises(ValueError, match=r"Data cardinality is ambiguous.*x: \[64\], y: \[10\]"):
        model.fit(X, Y_BINARY[:10], verbose=0)
    with pytest.raises(ValueError, match=r"sample_weight: \[3\]"):
        model.evaluate(X, Y_BINARY, sample_weight=np.ones(3), verbose=0)


@pytest.mark.parametrize("bad", [np.array([["a"] * 5] * 4), [["a", "b", "c", "d", "e"]] * 4],
                         ids=["array", "list"])
def test_strings_as_x(model, bad):
    with pytest.raises(ValueError, match=r"`x` must hold numbers, but it has dtype <U1"):
        model.fit(bad, Y_BINARY[:4], verbose=0)


def test_ragged_list_as_x(model):
    with pytest.raises(ValueError, match=r"`x` could not be converted to an array \(a ragged "
                                         r"list\?"):
        model.fit([[1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 2.0]], Y_BINARY[:2], verbose=0)


@pytest.mark.parametrize("kwargs,match", [
    ({"loss": "binary_crossentropi"},
     r"Unknown loss: 'binary_crossentropi'\. Did you mean \['binary_crossentropy'"),
    ({"loss": {"out": ["mse", "msee"]}}, r"Unknown loss: 'msee'"),
    ({"loss": "mse", "metrics": ["acuracy"]}, r"Unknown metric: 'acuracy'\. Did you mean "
                                              r"\['accuracy'"),
    ({"loss": "mse", "weighted_metrics": ["nope"]}, r"Unknown metric: 'nope'"),
    ({"optimizer": "adamm", "loss": "mse"}, r"Unknown optimizer: 'adamm'\. Did you mean "
                                            r"\[[^]]*'Adam'"),
])
def test_unknown_names_fail_in_compile(kwargs, match):
    with pytest.raises(ValueError, match=match):
        binary_model().compile(**kwargs)


@pytest.mark.parametrize("call", ["fit", "evaluate", "predict"])
def test_wrong_input_shape_sequential(model, call):
    args = (X[:, :4],) if call == "predict" else (X[:, :4], Y_BINARY)
    with pytest.raises(ValueError, match=r'Input 0 of layer "dense(_\d+)?" is incompatible with '
                                         r"the layer: expected axis -1 of input shape to have "
                                         r"value 5, but received input with shape \(32, 4\)"
                       ) as excinfo:
        getattr(model, call)(*args, verbose=0)
    assert_raised_by_kfront(excinfo)


def test_wrong_input_shape_functional():
    inputs = kfront.Input(shape=(5,))
    m = kfront.Model(inputs, layers.Dense(2)(inputs), name="two_way")
    m.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r'layer "two_way" is incompatible with the layer: '
                                         r"expected shape=\(None, 5\), found shape=\(32, 3\)"
                       ) as excinfo:
        m.fit(X[:, :3], Y_ONEHOT[:, :2], verbose=0)
    assert_raised_by_kfront(excinfo)


def test_wrong_input_shape_subclassed_after_training():
    class Linear(kfront.Model):
        def __init__(self):
            super().__init__()
            self.head = layers.Dense(1, name="head")

        def call(self, x):
            return self.head(x)

    m = Linear()
    m.compile(optimizer="sgd", loss="mse")
    m.fit(X, Y_BINARY, batch_size=32, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r'layer "head" is incompatible.*value 5, but received '
                                         r"input with shape \(32, 4\)") as excinfo:
        m.fit(X[:, :4], Y_BINARY, batch_size=32, verbose=0)
    assert_raised_by_kfront(excinfo)


def test_class_weight_missing_a_class(model):
    with pytest.raises(ValueError, match=r"`class_weight` has no entry for class\(es\) \[2\] "
                                         r"found in y\. Classes given: \[0, 1\]"):
        model.fit(X, Y_SPARSE, class_weight={0: 1.0, 1: 2.0}, verbose=0)
    with pytest.raises(ValueError, match="either `class_weight` or `sample_weight`, not both"):
        model.fit(X, Y_BINARY, class_weight={0: 1.0, 1: 1.0}, sample_weight=np.ones(64),
                  verbose=0)


def test_generator_with_inconsistent_structure(model):
    def batches():
        yield X[:8], Y_BINARY[:8]
        yield X[8:16], Y_BINARY[8:16], np.ones(8, "float32")

    with pytest.raises(ValueError, match=r"yielded batches of inconsistent structure: first "
                                         r"\(0, 0\), now \(0, 0, 0\) \(at (step|batch) 1\)"):
        model.fit(batches(), verbose=0)


def test_generator_with_y_or_validation_split(model):
    batches = ((X[:8], Y_BINARY[:8]) for _ in range(2))
    with pytest.raises(ValueError, match="`y` must not be given when `x` is a generator"):
        model.fit(batches, Y_BINARY, verbose=0)
    with pytest.raises(ValueError, match="`validation_split` is only supported for arrays"):
        model.fit(batches, validation_split=0.2, verbose=0)


@pytest.mark.parametrize("kwargs,match", [
    ({"verbose": 3}, r"`verbose` must be 'auto', 0, 1 or 2, received 3"),
    ({"validation_split": 1.5, "verbose": 0}, r"`validation_split` must be in \(0, 1\)"),
])
def test_bad_fit_arguments(model, kwargs, match):
    with pytest.raises(ValueError, match=match):
        model.fit(X, Y_BINARY, **kwargs)


def test_no_or_unknown_data(model):
    with pytest.raises(ValueError, match="No input data: pass `x`"):
        model.fit(None, verbose=0)
    with pytest.raises(ValueError, match="Unrecognized data type for `x`: object"):
        model.fit(object(), verbose=0)
    with pytest.raises(ValueError, match="`x` must have a batch dimension"):
        model.predict(np.float32(1.0), verbose=0)


def test_model_without_a_loss():
    m = binary_model()
    m.compile(optimizer="sgd")
    with pytest.raises(ValueError, match=r'has no loss: pass `loss=` to compile\(\)'):
        m.fit(X, Y_BINARY, verbose=0)
