"""The benchmark workloads: shapes, batch sizes and seeded synthetic data.

Every implementation of a training workload trains the same model on the same batches with
Adam(lr=1e-3) and sparse categorical cross-entropy from logits. ``predict`` times inference
instead: the MLP on one sample at a time, NumPy in and NumPy out.
"""
import numpy as np

SEED = 1234
LEARNING_RATE = 1e-3

# name -> (input shape without batch, input dtype, number of classes, batch size)
SPECS = {
    "mlp": ((784,), "float32", 10, 128),
    "convnet": ((28, 28, 1), "float32", 10, 128),
    "lstm": ((100,), "int32", 2, 32),
    "transformer": ((64, 128), "float32", 10, 32),
    "dataloader": ((784,), "float32", 10, 128),
    "predict": ((784,), "float32", 10, 1),
}
ORDER = ("mlp", "convnet", "lstm", "transformer", "dataloader", "predict")
MLP_LIKE = ("mlp", "dataloader", "predict")  # workloads that use the MLP

VOCAB = 5000          # lstm embedding rows
EMBED = 32            # lstm embedding width
LSTM_UNITS = 32
D_MODEL = 128         # transformer width
HEADS = 4
FFN = 512
BLOCKS = 2


def batch_size(name):
    return SPECS[name][3]


def num_classes(name):
    return SPECS[name][2]


def make_data(name, steps):
    """``steps`` batches of seeded inputs and int32 labels, as NumPy arrays (x, y)."""
    shape, dtype, classes, batch = SPECS[name]
    rng = np.random.default_rng(SEED)
    n = steps * batch
    if dtype == "int32":
        x = rng.integers(0, VOCAB, size=(n,) + shape).astype("int32")
    else:
        x = rng.standard_normal((n,) + shape).astype("float32")
    y = rng.integers(0, classes, size=(n,)).astype("int32")
    return x, y


def numpy_batches(x, y, batch):
    """The batches of (x, y) in order, as NumPy views."""
    return [(x[i:i + batch], y[i:i + batch]) for i in range(0, len(x), batch)]


# A predict call takes about 0.1 ms: the median of a few dozen is mostly cache warm-up
# and timer noise, so each "step" of the predict workload is this many calls.
PREDICT_CALLS_PER_STEP = 25


def samples(name, steps):
    """Single-sample inputs (a batch of one each) for the predict workload: enough for
    ``steps`` steps of ``PREDICT_CALLS_PER_STEP`` calls."""
    n = steps * PREDICT_CALLS_PER_STEP
    x, _ = make_data(name, n)
    return [x[i:i + 1] for i in range(n)]
