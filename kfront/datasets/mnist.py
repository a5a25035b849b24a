"""MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 grayscale."""
import numpy as np

from kfront.datasets.dataset_files import fetch


def load_data(path="mnist.npz"):
    """Loads MNIST, downloading it into the cache (``~/.kfront/datasets``) the first time.

    Args:
        path: the file name in the cache.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape (n, 28, 28) with
        values 0..255 and uint8 labels 0..9.
    """
    with np.load(fetch(path, "mnist.npz"), allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
