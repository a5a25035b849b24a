"""Data, small models and NumPy references shared by the trainer tests."""
import numpy as np

import kfront
from kfront import layers

BACKEND = kfront.backend.backend()
EPS = 1e-7

RNG = np.random.default_rng(0)
X = RNG.normal(size=(64, 5)).astype("float32")
Y_BINARY = (X[:, :1] + X[:, 1:2] > 0).astype("float32")          # (64, 1)
Y_SPARSE = (np.digitize(X[:, 0], [-0.5, 0.5])).astype("int32")   # (64,), classes 0..2
Y_ONEHOT = np.eye(3, dtype="float32")[Y_SPARSE]                  # (64, 3)
Y_REGRESSION = (X @ np.arange(1, 6, dtype="float32")[:, None] / 5).astype("float32")


def binary_model(hidden=4, seed=0, **dense_kwargs):
    kfront.utils.set_random_seed(seed)
    return kfront.Sequential([
        layers.Dense(hidden, activation="relu", input_shape=(5,), **dense_kwargs),
        layers.Dense(1, activation="sigmoid"),
    ])


def softmax_model(seed=0):
    kfront.utils.set_random_seed(seed)
    return kfront.Sequential([layers.Dense(4, activation="relu", input_shape=(5,)),
                              layers.Dense(3, activation="softmax")])


def linear_model(seed=0):
    kfront.utils.set_random_seed(seed)
    return kfront.Sequential([layers.Dense(1, input_shape=(5,))])


def two_output_model(seed=0):
    """Outputs "a" (one sigmoid unit) and "b" (3-way softmax) from a shared hidden layer."""
    kfront.utils.set_random_seed(seed)
    inputs = kfront.Input(shape=(5,), name="features")
    hidden = layers.Dense(4, activation="relu", name="hidden")(inputs)
    a = layers.Dense(1, activation="sigmoid", name="a")(hidden)
    b = layers.Dense(3, activation="softmax", name="b")(hidden)
    return kfront.Model(inputs, [a, b])


# ---- NumPy forward passes and losses ----

def np_forward(model, x):
    """The forward pass of a Sequential/Functional stack of Dense layers, in float64."""
    out = x.astype("float64")
    for layer in model.layers:
        if not isinstance(layer, layers.Dense):
            continue
        out = out @ layer.kernel.numpy() + layer.bias.numpy()
        name = getattr(layer.activation, "__name__", "")
        if name == "relu":
            out = np.maximum(out, 0)
        elif name == "sigmoid":
            out = 1 / (1 + np.exp(-out))
        elif name == "softmax":
            e = np.exp(out - out.max(-1, keepdims=True))
            out = e / e.sum(-1, keepdims=True)
    return out


def np_dense(layer, x, activation=None):
    out = x.astype("float64") @ layer.kernel.numpy() + layer.bias.numpy()
    if activation == "relu":
        return np.maximum(out, 0)
    if activation == "sigmoid":
        return 1 / (1 + np.exp(-out))
    if activation == "softmax":
        e = np.exp(out - out.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)
    return out


def np_bce(y, p):
    """Per-sample binary crossentropy (mean over the last axis), as Keras computes it."""
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean(-1)


def np_sparse_cce(labels, p):
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -np.log(p[np.arange(len(labels)), labels])


def np_mse(y, p):
    return ((y - p) ** 2).mean(-1)


def weighted_mean(per_sample, sample_weight=None):
    """Keras's "sum_over_batch_size": sum(w * loss) / number of samples."""
    w = np.ones_like(per_sample) if sample_weight is None else sample_weight
    return float((per_sample * w).sum() / per_sample.size)


def two_output_forward(model, x):
    hidden = np_dense(model.get_layer("hidden"), x, "relu")
    return (np_dense(model.get_layer("a"), hidden, "sigmoid"),
            np_dense(model.get_layer("b"), hidden, "softmax"))


def compiled_binary_model():
    """binary_model compiled with a zero learning rate, so evaluations keep its weights."""
    from kfront import optimizers
    model = binary_model()
    model.compile(optimizer=optimizers.SGD(0.0), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def np_loss(model, x, y, sw=None):
    """NumPy's binary crossentropy of the model's current weights on (x, y)."""
    return weighted_mean(np_bce(y, np_forward(model, x)), sw)
