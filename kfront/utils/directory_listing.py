"""Files of a folder-per-class dataset, and the validation-split rules Keras applies to
``image_dataset_from_directory`` and ``text_dataset_from_directory`` alike."""
import os

import numpy as np

from kfront.utils.py_dataset import PyDataset


def labelled_files(directory, formats, labels, class_names, follow_links, what):
    """``list_class_files`` with the ``labels`` argument the dataset utilities take:
    "inferred" (from the folders), an explicit list (one int per file) or None. ``what``
    names the files in the message when there are none ("images", "audio files")."""
    paths, indices, names = list_class_files(
        directory, formats, class_names, follow_links,
        "inferred" if labels == "inferred" else None)
    if isinstance(labels, (list, tuple)):
        if len(labels) != len(paths):
            raise ValueError("Expected the lengths of `labels` to match the number of files "
                             f"in the target directory. len(labels) is {len(labels)} while "
                             f"we found {len(paths)} files in directory {directory}.")
        indices = np.asarray(labels, dtype="int32")
        names = [str(i) for i in sorted(set(int(v) for v in labels))]
    if not paths:
        raise ValueError(f"No {what} found in directory {directory}. Allowed formats: "
                         f"{formats}")
    return paths, indices, names


def list_class_files(directory, formats, class_names=None, follow_links=False,
                     labels="inferred"):
    """(file paths, integer labels, class names) in alphanumeric order.

    With ``labels="inferred"`` each subdirectory of ``directory`` is a class (``class_names``
    picks and orders them); otherwise the files directly under ``directory`` and its
    subdirectories are listed with label 0. Files whose extension is not in ``formats``
    are ignored.
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ValueError(f"Could not find directory {directory!r}.")
    subdirs = sorted(d for d in os.listdir(directory)
                     if os.path.isdir(os.path.join(directory, d)) and not d.startswith("."))
    if labels == "inferred":
        if class_names is not None:
            missing = [c for c in class_names if c not in subdirs]
            if missing:
                raise ValueError(f"The `class_names` passed did not match the names of the "
                                 f"subdirectories of the target directory. Expected: "
                                 f"{subdirs} (or a subset of it), but received: "
                                 f"{list(class_names)} (missing: {missing}).")
            subdirs = list(class_names)
        class_names = subdirs
        roots = [(os.path.join(directory, d), i) for i, d in enumerate(subdirs)]
    else:
        class_names = []
        roots = [(directory, 0)]
    paths, indices = [], []
    formats = tuple(f.lower() for f in formats)
    for root, label in roots:
        found = []
        for base, dirs, files in os.walk(root, followlinks=follow_links):
            dirs.sort()
            found.extend(os.path.join(base, f) for f in files if f.lower().endswith(formats))
        found.sort()
        paths.extend(found)
        indices.extend([label] * len(found))
    return paths, np.asarray(indices, dtype="int32"), class_names


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    """Keras's rules for ``validation_split``/``subset``, with its messages."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: "
                         f"{validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError('`subset` must be either "training", "validation" or "both", '
                         f"received: {subset}")
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must "
                         "provide a `seed` argument, to make sure that there is no overlap "
                         "between the training and validation subset.")


def encode_labels(labels, label_mode, num_classes):
    """Integer labels as Keras's ``label_mode`` gives them: "int" as they are, "categorical"
    one-hot float32, "binary" float32 of shape (n, 1)."""
    labels = np.asarray(labels, dtype="int32")
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    if label_mode == "binary":
        return labels.astype("float32")[..., None]
    return labels


class FileBatches(PyDataset):
    """Batches over a list of files, read on demand, in a fixed order or one reshuffled
    after every epoch. Subclasses turn the file indices of a batch into arrays."""

    def __init__(self, file_paths, batch_size, shuffle, rng):
        super().__init__()
        self.file_paths = list(file_paths)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self._rng = rng
        self._order = np.arange(len(self.file_paths))
        if shuffle:
            self._rng.shuffle(self._order)

    def __len__(self):
        if self.batch_size is None:
            return len(self.file_paths)
        return -(-len(self.file_paths) // self.batch_size)

    def _picks(self, index):
        """The file indices of batch ``index`` (one index when ``batch_size`` is None)."""
        if not -len(self) <= index < len(self):
            raise IndexError(f"batch index {index} out of range for {len(self)} batches.")
        index %= len(self)
        size = self.batch_size or 1
        return self._order[index * size:(index + 1) * size]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def on_epoch_end(self):
        if self.shuffle:
            self._rng.shuffle(self._order)
