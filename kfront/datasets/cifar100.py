"""CIFAR-100: 32x32 color images in 100 fine classes grouped into 20 coarse ones."""
import os

from kfront.datasets.cifar import finish, load_batch
from kfront.datasets.dataset_files import CIFAR_ORIGIN, fetch


def load_data(label_mode="fine"):
    """Loads CIFAR-100.

    Args:
        label_mode: "fine" (100 classes) or "coarse" (20 superclasses).

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` as for ``cifar10``, labels 0..99 or 0..19.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: '
                         f"label_mode={label_mode}.")
    folder = fetch("cifar-100-python-target", "cifar-100-python.tar.gz", CIFAR_ORIGIN,
                   extract=True)
    folder = os.path.join(folder, "cifar-100-python")
    key = f"{label_mode}_labels"
    x_train, y_train = load_batch(os.path.join(folder, "train"), label_key=key)
    x_test, y_test = load_batch(os.path.join(folder, "test"), label_key=key)
    return finish(x_train, y_train, x_test, y_test)
