"""``Model.compile``: optimizers, losses, metrics and loss weights by name or object, per
output; "accuracy" resolution; regularization losses; the jit_compile switch."""
import warnings

import numpy as np
import pytest

import kfront
from kfront import losses, metrics, optimizers, regularizers
from trainer_helpers import (
    BACKEND, X, Y_BINARY, Y_ONEHOT, Y_SPARSE, binary_model, np_bce, np_forward,
    np_sparse_cce, softmax_model, two_output_forward, two_output_model, weighted_mean,
)


def frozen(model, **kwargs):
    kwargs.setdefault("optimizer", optimizers.SGD(0.0))
    model.compile(**kwargs)
    return model


def test_strings_resolve_to_objects():
    model = frozen(binary_model(), optimizer="adam", loss="binary_crossentropy",
                   metrics=["mse", "accuracy"])
    assert type(model.optimizer) is optimizers.Adam
    logs = model.evaluate(X, Y_BINARY, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "mse", "accuracy"]
    p = np_forward(model, X)
    assert logs["loss"] == pytest.approx(weighted_mean(np_bce(Y_BINARY, p)), rel=1e-5)
    assert logs["mse"] == pytest.approx(float(((p - Y_BINARY) ** 2).mean()), rel=1e-5)
    assert isinstance(model.metrics[2], metrics.BinaryAccuracy)


def test_objects_keep_their_names():
    model = frozen(binary_model(), optimizer=optimizers.RMSprop(0.0),
                   loss=losses.BinaryCrossentropy(),
                   metrics=[metrics.BinaryAccuracy(), metrics.MeanSquaredError(name="my_mse"),
                            losses.mean_absolute_error])
    logs = model.evaluate(X, Y_BINARY, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "binary_accuracy", "my_mse", "mean_absolute_error"]
    p = np_forward(model, X)
    assert logs["mean_absolute_error"] == pytest.approx(float(np.abs(p - Y_BINARY).mean()),
                                                        rel=1e-5)
    assert logs["loss"] == pytest.approx(weighted_mean(np_bce(Y_BINARY, p)), rel=1e-5)


def test_loss_as_a_plain_function():
    def halved_mse(y_true, y_pred):
        return kfront.ops.mean(kfront.ops.square(y_true - y_pred), axis=-1) * 0.5

    model = frozen(binary_model(), loss=halved_mse)
    p = np_forward(model, X)
    assert model.evaluate(X, Y_BINARY, verbose=0) == pytest.approx(
        0.5 * float(((p - Y_BINARY) ** 2).mean()), rel=1e-5)


@pytest.mark.parametrize("make,loss,y,cls", [
    (binary_model, "binary_crossentropy", Y_BINARY, metrics.BinaryAccuracy),
    (softmax_model, "sparse_categorical_crossentropy", Y_SPARSE,
     metrics.SparseCategoricalAccuracy),
    (softmax_model, "sparse_categorical_crossentropy", Y_SPARSE[:, None],
     metrics.SparseCategoricalAccuracy),
    (softmax_model, "categorical_crossentropy", Y_ONEHOT, metrics.CategoricalAccuracy),
], ids=["binary", "sparse", "sparse_column", "categorical"])
def test_accuracy_resolves_from_shapes(make, loss, y, cls):
    model = frozen(make(), loss=loss, metrics=["accuracy", "acc"])
    logs = model.evaluate(X, y, verbose=0, return_dict=True)
    assert [type(m) for m in model.metrics[1:]] == [cls, cls]
    assert list(logs) == ["loss", "accuracy", "acc"]
    p = np_forward(model, X)
    if cls is metrics.BinaryAccuracy:
        want = ((p > 0.5) == (y > 0.5)).mean()
    else:
        want = (p.argmax(-1) == Y_SPARSE).mean()
    assert logs["accuracy"] == pytest.approx(float(want), rel=1e-6)
    assert logs["acc"] == logs["accuracy"]


def test_crossentropy_shortcut_resolves_from_shapes():
    model = frozen(softmax_model(), loss="crossentropy")
    p = np_forward(model, X)
    assert model.evaluate(X, Y_SPARSE, verbose=0) == pytest.approx(
        weighted_mean(np_sparse_cce(Y_SPARSE, p)), rel=1e-5)


def test_weighted_metrics_use_sample_weight():
    model = frozen(binary_model(), loss="binary_crossentropy", metrics=["accuracy"],
                   weighted_metrics=["accuracy"])
    sw = np.where(np.arange(64) < 32, 1.0, 0.0).astype("float32")
    logs = model.evaluate(X, Y_BINARY, sample_weight=sw, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "accuracy", "weighted_accuracy"]
    correct = ((np_forward(model, X) > 0.5) == (Y_BINARY > 0.5))[:, 0]
    assert logs["accuracy"] == pytest.approx(float(correct.mean()), rel=1e-6)
    assert logs["weighted_accuracy"] == pytest.approx(float(correct[:32].mean()), rel=1e-6)


# ---- several outputs ----

def two_output_targets():
    return Y_BINARY, Y_SPARSE


def np_two_output_losses(model):
    pa, pb = two_output_forward(model, X)
    return (weighted_mean(np_bce(Y_BINARY, pa)), weighted_mean(np_sparse_cce(Y_SPARSE, pb)),
            pa, pb)


@pytest.mark.parametrize("layout", ["dict", "list"])
def test_per_output_losses_weights_and_metrics(layout):
    model = two_output_model()
    assert model.output_names == ["a", "b"]
    if layout == "dict":
        frozen(model, loss={"a": "binary_crossentropy", "b": "sparse_categorical_crossentropy"},
               loss_weights={"a": 0.5, "b": 2.0}, metrics={"a": ["accuracy"], "b": "accuracy"})
        y = {"b": Y_SPARSE, "a": Y_BINARY}
    else:
        frozen(model, loss=["binary_crossentropy", losses.SparseCategoricalCrossentropy()],
               loss_weights=[0.5, 2.0], metrics=[["accuracy"], ["accuracy"]])
        y = [Y_BINARY, Y_SPARSE]
    logs = model.evaluate(X, y, batch_size=16, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "a_loss", "b_loss", "a_accuracy", "b_accuracy"]
    loss_a, loss_b, pa, pb = np_two_output_losses(model)
    assert logs["a_loss"] == pytest.approx(loss_a, rel=1e-5)
    assert logs["b_loss"] == pytest.approx(loss_b, rel=1e-5)
    assert logs["loss"] == pytest.approx(0.5 * loss_a + 2.0 * loss_b, rel=1e-5)
    assert logs["a_accuracy"] == pytest.approx(float(((pa > 0.5) == (Y_BINARY > 0.5)).mean()))
    assert logs["b_accuracy"] == pytest.approx(float((pb.argmax(-1) == Y_SPARSE).mean()))
    assert isinstance(model.metrics[3], metrics.BinaryAccuracy)
    assert isinstance(model.metrics[4], metrics.SparseCategoricalAccuracy)
    history = model.fit(X, y, batch_size=16, epochs=1, verbose=0)
    assert set(history.history) == set(logs)


def test_one_metric_list_per_output_and_shared_sample_weight():
    model = frozen(two_output_model(), loss=["binary_crossentropy",
                                             "sparse_categorical_crossentropy"],
                   metrics=["mse", "accuracy"])  # one entry per output, as in Keras
    sw = np.linspace(0, 1, 64).astype("float32")
    logs = model.evaluate(X, [Y_BINARY, Y_SPARSE], sample_weight=sw, verbose=0,
                          return_dict=True)
    assert list(logs) == ["loss", "a_loss", "b_loss", "a_mse", "b_accuracy"]
    pa, pb = two_output_forward(model, X)
    loss_a = weighted_mean(np_bce(Y_BINARY, pa), sw)
    loss_b = weighted_mean(np_sparse_cce(Y_SPARSE, pb), sw)
    assert logs["loss"] == pytest.approx(loss_a + loss_b, rel=1e-5)
    assert logs["a_loss"] == pytest.approx(loss_a, rel=1e-5)


def test_a_metric_list_of_another_length_applies_to_every_output():
    model = frozen(two_output_model(), loss=["binary_crossentropy",
                                             "sparse_categorical_crossentropy"],
                   metrics=["accuracy"])
    logs = model.evaluate(X, [Y_BINARY, Y_SPARSE], verbose=0, return_dict=True)
    assert list(logs) == ["loss", "a_loss", "b_loss", "a_accuracy", "b_accuracy"]


def test_output_without_loss():
    model = frozen(two_output_model(), loss={"b": "sparse_categorical_crossentropy"})
    logs = model.evaluate(X, {"a": Y_BINARY, "b": Y_SPARSE}, verbose=0, return_dict=True)
    _, loss_b, _, _ = np_two_output_losses(model)
    assert logs["loss"] == pytest.approx(loss_b, rel=1e-5)
    assert "a_loss" not in logs


@pytest.mark.parametrize("kwargs,match", [
    ({"loss": {"c": "mse"}}, r"`loss` has keys \['c'\] that match no model output"),
    ({"loss": ["mse"]}, r"`loss` is a list of 1 entries, but the model has 2 outputs"),
    ({"loss": "mse", "loss_weights": [1.0]}, r"`loss_weights` is a list of 1 entries"),
    ({"loss": "mse", "metrics": [["mae"], ["mae"], ["mae"]]},
     r"`metrics` is a list of 3 lists, but the model has 2 outputs"),
])
def test_per_output_argument_errors(kwargs, match):
    model = frozen(two_output_model(), **kwargs)
    with pytest.raises(ValueError, match=match):
        model.evaluate(X, [Y_BINARY, Y_SPARSE], verbose=0)


def test_targets_must_match_the_outputs():
    model = frozen(two_output_model(), loss="mse")
    with pytest.raises(ValueError, match=r"2 outputs \(\['a', 'b'\]\); pass the targets as a "
                                         "list"):
        model.evaluate(X, Y_BINARY, verbose=0)
    with pytest.raises(ValueError, match=r"The targets dict has no entry for output\(s\) "
                                         r"\['b'\]"):
        model.evaluate(X, {"a": Y_BINARY}, verbose=0)


# ---- regularization and optimizers ----

def test_kernel_regularizer_adds_to_the_loss():
    model = frozen(binary_model(kernel_regularizer=regularizers.L2(0.1)),
                   loss="binary_crossentropy")
    assert len(model.losses) == 1
    kernel = model.layers[0].kernel.numpy().astype("float64")
    data_loss = weighted_mean(np_bce(Y_BINARY, np_forward(model, X)))
    assert model.evaluate(X, Y_BINARY, verbose=0) == pytest.approx(
        data_loss + 0.1 * float((kernel ** 2).sum()), rel=1e-5)
    history = model.fit(X, Y_BINARY, batch_size=64, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(
        data_loss + 0.1 * float((kernel ** 2).sum()), rel=1e-5)


def test_regularizer_gradient_reaches_the_weights():
    """With a zero data loss gradient (lr only on the penalty), SGD shrinks the kernel by
    exactly lr * 2 * l2 * kernel per step."""
    kfront.utils.set_random_seed(0)
    model = kfront.Sequential([kfront.layers.Dense(2, input_shape=(5,), use_bias=False,
                                                   kernel_regularizer=regularizers.L2(0.5))])
    model.compile(optimizer=optimizers.SGD(0.1), loss=lambda y_true, y_pred: 0.0 * y_pred)
    kernel = model.layers[0].kernel.numpy()
    model.train_on_batch(X[:8], np.zeros((8, 2), "float32"))
    np.testing.assert_allclose(model.layers[0].kernel.numpy(), kernel * (1 - 0.1 * 2 * 0.5),
                               rtol=1e-5)


def test_recompile_with_a_new_optimizer_after_freezing():
    model = binary_model()
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(X, Y_BINARY, batch_size=32, epochs=1, verbose=0)
    model.layers[0].trainable = False
    frozen_kernel = model.layers[0].kernel.numpy()
    # The same built optimizer keeps working on the smaller set of variables.
    model.fit(X, Y_BINARY, batch_size=32, epochs=1, verbose=0)
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), frozen_kernel)
    model.layers[0].trainable = True
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(X, Y_BINARY, batch_size=32, epochs=1, verbose=0)
    assert not np.array_equal(model.layers[0].kernel.numpy(), frozen_kernel)


def test_unfreezing_with_the_same_built_optimizer_is_refused():
    model = binary_model()
    optimizer = optimizers.SGD(0.1)
    model.layers[0].trainable = False
    model.compile(optimizer=optimizer, loss="binary_crossentropy")
    model.fit(X, Y_BINARY, batch_size=32, epochs=1, verbose=0)
    model.layers[0].trainable = True
    with pytest.raises(ValueError, match="Unknown variable.*new optimizer instance"):
        model.fit(X, Y_BINARY, batch_size=32, epochs=1, verbose=0)


def test_jit_compile_true_is_kept_on_every_backend():
    model = binary_model()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.compile(loss="mse", jit_compile=True)
    assert model.jit_compile is True
    model.compile(loss="mse")
    assert model.jit_compile is (BACKEND == "jax")
    model.compile(loss="mse", run_eagerly=True)
    assert model.jit_compile is False
