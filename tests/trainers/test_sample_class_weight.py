"""``sample_weight`` and ``class_weight`` in fit/evaluate/train_on_batch, against NumPy."""
import numpy as np
import pytest

from kfront import optimizers
from trainer_helpers import (
    X, Y_BINARY, Y_REGRESSION, Y_SPARSE, compiled_binary_model, linear_model, np_forward,
    np_loss, np_sparse_cce, softmax_model, weighted_mean,
)

SW = np.linspace(0.0, 2.0, 64).astype("float32")
CLASS_WEIGHT = {0: 0.5, 1: 2.0, 2: 1.5}


def test_evaluate_with_sample_weight_is_the_weighted_mean():
    model = compiled_binary_model()
    # Three batches of 24, 24 and 16: each batch's mean weighted by its size.
    loss, _ = model.evaluate(X, Y_BINARY, sample_weight=SW, batch_size=24, verbose=0)
    assert loss == pytest.approx(np_loss(model, X, Y_BINARY, SW), rel=1e-5)


def test_fit_with_sample_weight_takes_the_weighted_gradient_step():
    """Linear model, MSE, one full batch: w <- w - lr * 2/N X^T (sw * residual)."""
    m = linear_model()
    m.compile(optimizer=optimizers.SGD(0.1), loss="mse")
    x, y, sw = X[:16].astype("float64"), Y_REGRESSION[:16].astype("float64"), SW[:16, None]
    w, b = m.layers[0].kernel.numpy().astype("float64"), m.layers[0].bias.numpy()
    residual = x @ w + b - y
    history = m.fit(X[:16], Y_REGRESSION[:16], sample_weight=SW[:16], batch_size=16,
                    epochs=1, shuffle=False, verbose=0)
    assert history.history["loss"][0] == pytest.approx(
        float((sw * residual ** 2).mean()), rel=1e-5)
    np.testing.assert_allclose(m.layers[0].kernel.numpy(),
                               w - 0.1 * 2 / 16 * x.T @ (sw * residual), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(m.layers[0].bias.numpy(),
                               b - 0.1 * 2 / 16 * (sw * residual).sum(0), rtol=1e-5, atol=1e-6)


def _sparse_model():
    m = softmax_model()
    m.compile(optimizer=optimizers.SGD(0.05), loss="sparse_categorical_crossentropy")
    return m


def test_class_weight_equals_the_matching_sample_weight():
    weights = np.array([CLASS_WEIGHT[c] for c in Y_SPARSE], dtype="float32")
    a, b = _sparse_model(), _sparse_model()
    ha = a.fit(X, Y_SPARSE, class_weight=CLASS_WEIGHT, batch_size=32, epochs=2, shuffle=False,
               verbose=0)
    hb = b.fit(X, Y_SPARSE, sample_weight=weights, batch_size=32, epochs=2, shuffle=False,
               verbose=0)
    np.testing.assert_allclose(ha.history["loss"], hb.history["loss"], rtol=1e-6)
    for va, vb in zip(a.weights, b.weights):
        np.testing.assert_allclose(va.numpy(), vb.numpy(), rtol=1e-6, atol=1e-7)


def test_train_on_batch_with_class_weight_reports_the_weighted_loss():
    m = softmax_model()
    m.compile(optimizer=optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    weights = np.array([CLASS_WEIGHT[c] for c in Y_SPARSE[:32]])
    expected = weighted_mean(np_sparse_cce(Y_SPARSE[:32], np_forward(m, X[:32])), weights)
    loss = m.train_on_batch(X[:32], Y_SPARSE[:32], class_weight=CLASS_WEIGHT)
    assert loss == pytest.approx(expected, rel=1e-5)


def test_class_weight_with_a_generator_matches_arrays():
    def batches():
        for start in range(0, 64, 16):
            yield X[start:start + 16], Y_SPARSE[start:start + 16]

    a, b = _sparse_model(), _sparse_model()
    ha = a.fit(batches(), class_weight=CLASS_WEIGHT, epochs=1, verbose=0)
    hb = b.fit(X, Y_SPARSE, class_weight=CLASS_WEIGHT, batch_size=16, epochs=1, shuffle=False,
               verbose=0)
    assert ha.history["loss"][0] == pytest.approx(hb.history["loss"][0], rel=1e-6)


@pytest.mark.parametrize("class_weight, match", [
    ({"zero": 1.0, 1: 2.0}, r"keys must be class indices .*'zero'"),
    ({0: 1.0, -1: 2.0}, r"keys must be class indices .*-1"),
    ({0: 1.0, 1.5: 2.0}, r"keys must be class indices .*1\.5"),
    ({0: 1.0, 1: -2.0}, r"values must be finite numbers >= 0.*-2\.0"),
    ({0: 1.0, 1: float("nan")}, r"values must be finite numbers >= 0"),
    ([1.0, 2.0], r"must be a dict mapping class indices"),
    ({0: 1.0, 1: 1.0}, r"no entry for class\(es\) \[2\]"),
])
def test_bad_class_weight_is_refused(class_weight, match):
    m = _sparse_model()
    with pytest.raises(ValueError, match=match):
        m.fit(X, Y_SPARSE, class_weight=class_weight, epochs=1, verbose=0)


def test_class_weight_with_two_outputs_is_refused():
    from trainer_helpers import two_output_model
    m = two_output_model()
    m.compile("sgd", ["binary_crossentropy", "sparse_categorical_crossentropy"])
    with pytest.raises(ValueError, match="only supported for models with a single output"):
        m.fit(X, [Y_BINARY, Y_SPARSE], class_weight={0: 1.0, 1: 1.0}, verbose=0)


def test_class_weight_and_sample_weight_together_are_refused():
    m = _sparse_model()
    with pytest.raises(ValueError, match="either `class_weight` or `sample_weight`"):
        m.fit(X, Y_SPARSE, sample_weight=SW, class_weight=CLASS_WEIGHT, verbose=0)

