"""CIFAR-10: 50,000 training and 10,000 test 32x32 color images in 10 classes."""
import os

import numpy as np

from kfront.datasets.cifar import finish, load_batch
from kfront.datasets.dataset_files import CIFAR_ORIGIN, fetch


def load_data():
    """Loads CIFAR-10 (the python-pickle archive, extracted into the cache).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape (n, 32, 32, 3)
        (``(n, 3, 32, 32)`` with ``image_data_format() == "channels_first"``) and uint8
        labels of shape (n, 1): airplane, automobile, bird, cat, deer, dog, frog, horse,
        ship, truck.
    """
    folder = fetch("cifar-10-batches-py-target", "cifar-10-python.tar.gz", CIFAR_ORIGIN,
                   extract=True)
    folder = os.path.join(folder, "cifar-10-batches-py")
    parts = [load_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([x for x, _ in parts])
    y_train = np.concatenate([y for _, y in parts])
    x_test, y_test = load_batch(os.path.join(folder, "test_batch"))
    return finish(x_train, y_train, x_test, y_test)
