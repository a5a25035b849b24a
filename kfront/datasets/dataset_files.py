"""Where the Keras datasets are downloaded from, their published hashes, and safe loading of
the ``.npz`` files that hold lists of word indices.

Set ``KFRONT_DATASETS_ORIGIN`` to a URL prefix to download every dataset from a mirror (for
example an internal server holding the same files under the same names); the hashes are
still checked.
"""
import io
import os
import pickle
import zipfile

import numpy as np

from kfront.utils.file_utils import get_file

KERAS_DATASETS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
CIFAR_ORIGIN = "https://www.cs.toronto.edu/~kriz/"

# The hashes Keras publishes for its dataset files.
HASHES = {
    "mnist.npz": "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    "boston_housing.npz": "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
    "california_housing.npz":
        "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f",
    "imdb.npz": "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    "imdb_word_index.json": "bfafd718b763782e994055a2d397834f",
    "reuters.npz": "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
    "reuters_word_index.json": "4d44cc38712099c9e383dc6e5f11a921",
    "cifar-10-python.tar.gz": "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
    "cifar-100-python.tar.gz":
        "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7",
}


def origin(base, name):
    """The URL of dataset file ``name``: ``base + name``, or under $KFRONT_DATASETS_ORIGIN."""
    mirror = os.environ.get("KFRONT_DATASETS_ORIGIN")
    if mirror:
        return mirror.rstrip("/") + "/" + name
    return base + name


def fetch(fname, name, base=KERAS_DATASETS, **kwargs):
    """``get_file`` for the published dataset file ``name``, cached as ``fname``."""
    return get_file(fname=fname, origin=origin(base, name), file_hash=HASHES.get(name),
                    **kwargs)


_ALLOWED_GLOBALS = frozenset({
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
})


class RestrictedUnpickler(pickle.Unpickler):
    """Unpickles NumPy arrays, lists, dicts, numbers and bytes; refuses anything that would
    import or call other code."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to load `{module}.{name}` from a dataset file: the file is corrupt or "
            "was tampered with.")


def _read_member(buffer):
    try:
        return np.lib.format.read_array(buffer, allow_pickle=False)
    except ValueError:
        # An object array (lists of word indices): its pickle is read with the restricted
        # unpickler, never with np.load(allow_pickle=True).
        buffer.seek(0)
        major, _ = np.lib.format.read_magic(buffer)
        if major == 1:
            np.lib.format.read_array_header_1_0(buffer)
        else:
            np.lib.format.read_array_header_2_0(buffer)
        return RestrictedUnpickler(buffer).load()


def load_npz(path):
    """The arrays of an ``.npz`` file, object arrays included, loaded without running code."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                arrays[member[:-4]] = _read_member(io.BytesIO(archive.read(member)))
    return arrays


def load_pickle(path):
    """A pickled dict (CIFAR batches) read with the restricted unpickler, keys as str."""
    with open(path, "rb") as f:
        loaded = RestrictedUnpickler(f, encoding="bytes").load()
    return {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in loaded.items()}


def shuffle_split(x, y, test_split, seed):
    """Keras's split for the regression datasets: shuffle with ``seed``, then cut."""
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between 0 "
                         "and 1 (exclusive of 1).")
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
