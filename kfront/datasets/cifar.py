"""Reading the pickled batches of the CIFAR-10 and CIFAR-100 archives."""
import numpy as np

from kfront import config
from kfront.datasets.dataset_files import load_pickle


def load_batch(fpath, label_key="labels"):
    """One CIFAR batch file: ``(data, labels)`` with data uint8 of shape (n, 3, 32, 32)."""
    batch = load_pickle(fpath)
    data = np.asarray(batch["data"], dtype="uint8")
    return data.reshape(data.shape[0], 3, 32, 32), np.asarray(batch[label_key])


def finish(x_train, y_train, x_test, y_test):
    """Labels as (n, 1) uint8 columns; images channels-last unless configured otherwise."""
    y_train = np.reshape(y_train, (len(y_train), 1)).astype("uint8")
    y_test = np.reshape(y_test, (len(y_test), 1)).astype("uint8")
    if config.image_data_format() == "channels_last":
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
