"""``text_dataset_from_directory``: a folder of ``.txt`` files (one class per subfolder) as
a batched dataset of Python strings and labels."""
import os

import numpy as np

from kfront.utils.directory_listing import (
    FileBatches, check_validation_split_arg, encode_labels, list_class_files,
)
from kfront.utils.dataset_formats import check_format, wrap

_LABEL_MODES = ("int", "categorical", "binary", None)


class TextFileDataset(FileBatches):
    """Batches of ``(texts, labels)`` (or ``texts`` alone) read from files on demand.

    ``texts`` is a NumPy object array of ``str``. The order is reshuffled after every epoch
    when ``shuffle`` is set, from ``seed``. ``class_names`` lists the classes by label.
    """

    def __init__(self, paths, labels, label_mode, class_names, batch_size, max_length,
                 shuffle, seed):
        super().__init__(paths, batch_size, shuffle, np.random.default_rng(seed))
        self._labels = None if labels is None else np.asarray(labels, dtype="int32")
        self._label_mode = label_mode
        self.class_names = class_names
        self._max_length = max_length

    def _read(self, i):
        with open(self.file_paths[i], "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
        return text if self._max_length is None else text[:self._max_length]

    def __getitem__(self, index):
        picks = self._picks(index)
        texts = np.empty(len(picks), dtype=object)
        texts[:] = [self._read(i) for i in picks]
        labels = None if self._labels is None else \
            encode_labels(self._labels[picks], self._label_mode, len(self.class_names))
        if self.batch_size is None:
            texts = texts[0]
            labels = None if labels is None else labels[0]
        return texts if labels is None else (texts, labels)


def _index(directory, labels, class_names, follow_links):
    """(file paths in alphanumeric order, integer labels or None, class names)."""
    if labels != "inferred" and class_names is not None:
        raise ValueError("`class_names` can only be passed with labels='inferred'; with "
                         "explicit labels (or none) the classes come from the labels.")
    paths, found, names = list_class_files(
        directory, (".txt",), class_names, follow_links,
        labels="inferred" if labels == "inferred" else None)
    if labels == "inferred":
        return paths, [int(v) for v in found], names
    if labels is None:
        return paths, None, None
    if len(labels) != len(paths):
        raise ValueError(f"Expected the lengths of `labels` to match the number of files in "
                         f"the target directory. len(labels) is {len(labels)} while we found "
                         f"{len(paths)} files in directory {directory}.")
    names = sorted(set(int(v) for v in labels))
    return paths, [int(v) for v in labels], [str(n) for n in names]


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None, shuffle=True,
                                seed=None, validation_split=None, subset=None,
                                follow_links=False, format="tf", verbose=True):
    """A dataset of texts from ``.txt`` files; with ``labels="inferred"`` each subfolder of
    ``directory`` is a class, in alphanumeric order (or the order of ``class_names``).

    Args:
        directory: the folder.
        labels: ``"inferred"``, ``None`` (no labels) or a list of int labels, one per file in
            alphanumeric order of the paths.
        label_mode: ``"int"``, ``"categorical"`` (one-hot float32), ``"binary"`` (float32 of
            shape ``(batch, 1)``, two classes only) or ``None``.
        class_names: the subfolders to use, in label order (``labels="inferred"`` only).
        batch_size: texts per batch; ``None`` yields single texts.
        max_length: keep at most this many characters of each text.
        shuffle: shuffle the files (and reshuffle every epoch); else alphanumeric order.
        seed: the shuffling seed (needed with ``validation_split`` and ``shuffle``).
        validation_split: the fraction (0-1) of files held out.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a pair of datasets).
        follow_links: follow symbolic links to folders.
        format: "tf" (default), "kfront", or "grain" (needs ``kfront[grain]``; a
            ``grain.IterDataset``, shuffled once with ``seed`` as in Keras).
        verbose: print how many files and classes were found.

    Returns:
        A ``tf.data.Dataset`` of ``(texts, labels)`` batches (``texts`` a string tensor), as
        in Keras 3; with ``format="kfront"`` or where TensorFlow is not installed, kfront's
        own ``Dataset`` (``texts`` a NumPy object array of ``str``; the same batches in a
        ``grain.IterDataset`` with ``format="grain"``). Files are decoded as
        UTF-8. Both carry ``class_names`` and ``file_paths``.
    """
    check_format(format)
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple, np.ndarray)):
        raise ValueError("`labels` must be 'inferred', None or a list/tuple of integer labels "
                         f"(one per text file). Received: labels={labels!r}")
    if label_mode not in _LABEL_MODES:
        raise ValueError('`label_mode` argument must be one of "int", "categorical", '
                         f'"binary", or None. Received: label_mode={label_mode!r}')
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer))
                                   or batch_size < 1):
        raise ValueError(f"`batch_size` must be a positive int or None, received {batch_size!r}.")
    if max_length is not None and (not isinstance(max_length, (int, np.integer))
                                   or max_length < 1):
        raise ValueError(f"`max_length` must be a positive int or None, received {max_length!r}.")
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if not os.path.isdir(directory):
        raise ValueError(f"text_dataset_from_directory: {directory!r} is not a directory.")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    paths, found, names = _index(directory, labels, class_names, follow_links)
    if not paths:
        raise ValueError(f"No text files found in directory {directory}. Allowed format: .txt")
    if verbose:
        classes = f" belonging to {len(names)} classes" if names is not None else ""
        print(f"Found {len(paths)} files{classes}.")
    if label_mode == "binary" and len(names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={names}")
    if seed is None:
        seed = int(np.random.randint(1_000_000))
    order = np.arange(len(paths))
    if shuffle:
        # One fixed permutation before the split, so both subsets see disjoint files.
        np.random.RandomState(seed).shuffle(order)
    paths = [paths[i] for i in order]
    found = None if found is None else [found[i] for i in order]

    def build(lo, hi, what):
        if hi <= lo:
            raise ValueError(f"No {what} text files found in directory {directory}. "
                             "Allowed format: .txt")
        part = None if found is None else found[lo:hi]
        batches = TextFileDataset(paths[lo:hi], part, label_mode, names, batch_size,
                                  max_length, shuffle and format != "grain", seed)
        # Grain shuffles once (MapDataset.shuffle), as in Keras not the validation half of
        # subset="both".
        return wrap(batches, format, batched=batch_size is not None,
                    attributes={"class_names": names, "file_paths": paths[lo:hi]},
                    shuffle=shuffle and not (subset == "both" and what == "validation"),
                    seed=seed)

    if not validation_split:
        return build(0, len(paths), "")
    n_val = int(validation_split * len(paths))
    n_train = len(paths) - n_val
    if subset == "training":
        if verbose:
            print(f"Using {n_train} files for training.")
        return build(0, n_train, "training")
    if subset == "validation":
        if verbose:
            print(f"Using {n_val} files for validation.")
        return build(n_train, len(paths), "validation")
    if verbose:
        print(f"Using {n_train} files for training.\nUsing {n_val} files for validation.")
    return build(0, n_train, "training"), build(n_train, len(paths), "validation")
