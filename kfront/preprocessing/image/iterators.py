"""The iterators ``ImageDataGenerator.flow*`` return: ``PyDataset``s of augmented batches.

Each batch draws its random transforms from a generator seeded by (seed, epoch, batch
index), so a batch is reproducible and may be built by any worker thread.
"""
import os
import warnings

import numpy as np

from kfront import config
from kfront.utils.py_dataset import PyDataset

WHITE_LIST_FORMATS = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")
CLASS_MODES = ("categorical", "binary", "sparse", "input", None)
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


class Iterator(PyDataset):
    """Batches by index over ``n`` samples, reshuffled (seeded) every epoch.

    ``len(it)`` is the number of batches per epoch and ``it[i]`` the i-th batch; ``next(it)``
    walks the batches endlessly, epoch after epoch, as Keras 2's iterators do.
    """

    white_list_formats = WHITE_LIST_FORMATS

    def __init__(self, n, batch_size, shuffle, seed):
        super().__init__()
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"`batch_size` must be a positive int; received {batch_size!r}.")
        self.n = n
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = int(np.random.randint(2**31 - 1)) if seed is None else int(seed)
        self.epoch = 0
        self.batch_index = 0
        self.total_batches_seen = 0
        self._set_index_array()

    def _set_index_array(self):
        self.index_array = np.random.RandomState([self.seed, self.epoch, 1]).permutation(
            self.n) if self.shuffle else np.arange(self.n)

    def __len__(self):
        return -(-self.n // self.batch_size)

    def __getitem__(self, idx):
        if not -len(self) <= idx < len(self):
            raise ValueError(f"Asked to retrieve element {idx}, but the Sequence has length "
                             f"{len(self)}")
        idx %= len(self)
        picks = self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)]
        rng = np.random.RandomState([self.seed, self.epoch, 2, idx])
        return self._get_batches_of_transformed_samples(picks, rng)

    def on_epoch_end(self):
        self.epoch += 1
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.n == 0:
            raise StopIteration
        batch = self[self.batch_index]
        self.batch_index += 1
        self.total_batches_seen += 1
        if self.batch_index >= len(self):
            self.batch_index = 0
            self.on_epoch_end()
        return batch

    next = __next__

    def _augment(self, x, rng):
        """Augments and standardizes one image with the generator's options."""
        gen = self.image_data_generator
        if gen is not None:
            x = gen.apply_transform(x, gen.get_random_transform(x.shape, rng=rng))
            x = gen.standardize(x)
        return x

    def _save(self, batch_x, rng):
        from kfront.utils.image_utils import array_to_img
        for i, x in enumerate(batch_x):
            img = array_to_img(x, self.data_format, scale=True)
            name = (f"{self.save_prefix}_{self.epoch}_{i}_{rng.randint(1_000_000)}."
                    f"{self.save_format}")
            img.save(os.path.join(self.save_to_dir, name))

    def _get_batches_of_transformed_samples(self, index_array, rng):
        raise NotImplementedError


def _check_x(x, data_format):
    channels_axis = 3 if data_format == "channels_last" else 1
    if x.ndim != 4:
        raise ValueError("Input data in `NumpyArrayIterator` should have rank 4. You passed "
                         f"an array with shape {x.shape}")
    if x.shape[channels_axis] not in (1, 3, 4):
        warnings.warn(f'NumpyArrayIterator is set to use the data format convention '
                      f'"{data_format}" (channels on axis {channels_axis}), i.e. expected '
                      f"either 1, 3, or 4 channels on axis {channels_axis}. However, it was "
                      f"passed an array with shape {x.shape} ({x.shape[channels_axis]} "
                      "channels).", stacklevel=3)


class NumpyArrayIterator(Iterator):
    """Augmented batches of images held in an array (``ImageDataGenerator.flow``)."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False,
                 sample_weight=None, seed=None, data_format=None, save_to_dir=None,
                 save_prefix="", save_format="png", subset=None, ignore_class_split=False,
                 dtype=None):
        self.dtype = dtype or config.floatx()
        self.data_format = data_format or config.image_data_format()
        x = np.asarray(x)
        if y is not None and len(x) != len(y):
            raise ValueError("`x` (images tensor) and `y` (labels) should have the same "
                             f"length. Found: x.shape = {x.shape}, y.shape = "
                             f"{np.asarray(y).shape}")
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError("`x` (images tensor) and `sample_weight` should have the same "
                             f"length. Found: x.shape = {x.shape}, sample_weight.shape = "
                             f"{np.asarray(sample_weight).shape}")
        _check_x(x, self.data_format)
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError(f"Invalid subset name: {subset}; expected 'training' or "
                                 "'validation'")
            split = image_data_generator._validation_split if image_data_generator else 0
            split_idx = int(len(x) * split)
            part = slice(None, split_idx) if subset == "validation" else slice(split_idx, None)
            if y is not None and not ignore_class_split and not np.array_equal(
                    np.unique(np.asarray(y)[:split_idx]), np.unique(np.asarray(y)[split_idx:])):
                raise ValueError("Training and validation subsets have different number of "
                                 "classes after the split. If your numpy arrays are sorted "
                                 "by the label, you might want to shuffle them.")
            x = x[part]
            y = None if y is None else np.asarray(y)[part]
            sample_weight = None if sample_weight is None else np.asarray(sample_weight)[part]
        self.x = np.asarray(x, dtype=self.dtype)
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, \
            save_format
        super().__init__(len(self.x), batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array, rng):
        batch_x = np.stack([self._augment(self.x[j].copy(), rng) for j in index_array]) \
            .astype(self.dtype) if len(index_array) else self.x[:0]
        if self.save_to_dir:
            self._save(batch_x, rng)
        if self.y is None:
            return batch_x
        out = (batch_x, self.y[index_array])
        if self.sample_weight is not None:
            out += (self.sample_weight[index_array],)
        return out


class BatchFromFilesMixin:
    """Reads, augments and labels batches of image files (``filepaths``, ``classes``)."""

    def set_processing_attrs(self, image_data_generator, target_size, color_mode, data_format,
                             save_to_dir, save_prefix, save_format, subset, interpolation,
                             keep_aspect_ratio):
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.keep_aspect_ratio = keep_aspect_ratio
        if color_mode not in _CHANNELS:
            raise ValueError(f"Invalid color mode: {color_mode!r}; expected \"rgb\", \"rgba\", "
                             "or \"grayscale\".")
        self.color_mode = color_mode
        self.data_format = data_format or config.image_data_format()
        channels = _CHANNELS[color_mode]
        self.image_shape = self.target_size + (channels,) \
            if self.data_format == "channels_last" else (channels,) + self.target_size
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, \
            save_format
        self.interpolation = interpolation
        if subset is not None:
            split = image_data_generator._validation_split if image_data_generator else 0
            if subset == "validation":
                self.split = (0, split)
            elif subset == "training":
                self.split = (split, 1)
            else:
                raise ValueError(f"Invalid subset name: {subset}; expected 'training' or "
                                 "'validation'")
        else:
            self.split = None
        self.subset = subset

    def _get_batches_of_transformed_samples(self, index_array, rng):
        from kfront.utils.image_utils import img_to_array, load_img
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        filepaths = self.filepaths
        for i, j in enumerate(index_array):
            img = load_img(filepaths[j], color_mode=self.color_mode,
                           target_size=self.target_size, interpolation=self.interpolation,
                           keep_aspect_ratio=self.keep_aspect_ratio)
            x = img_to_array(img, data_format=self.data_format, dtype=self.dtype)
            batch_x[i] = self._augment(x, rng)
        if self.save_to_dir:
            self._save(batch_x, rng)
        return self._with_labels(batch_x, index_array)

    def _with_labels(self, batch_x, index_array):
        mode = self.class_mode
        if mode == "input":
            batch_y = batch_x.copy()
        elif mode in ("sparse", "binary"):
            batch_y = self.classes[index_array].astype(self.dtype)
        elif mode == "categorical":
            batch_y = np.zeros((len(batch_x), len(self.class_indices)), dtype=self.dtype)
            batch_y[np.arange(len(batch_x)), self.classes[index_array]] = 1.0
        elif mode == "raw":
            batch_y = self.data[index_array]
        elif mode == "multi_output":
            batch_y = [np.asarray(out)[index_array] for out in self.data]
        else:
            return batch_x
        weights = getattr(self, "_sample_weight", None)
        if weights is not None:
            return batch_x, batch_y, weights[index_array]
        return batch_x, batch_y

    @property
    def labels(self):
        return self.classes


def _check_class_mode(class_mode, allowed=CLASS_MODES):
    if class_mode not in allowed:
        raise ValueError(f"Invalid class_mode: {class_mode}; expected one of: {allowed}")


class DirectoryIterator(BatchFromFilesMixin, Iterator):
    """Augmented batches of the images in ``directory/<class>/`` folders
    (``ImageDataGenerator.flow_from_directory``)."""

    def __init__(self, directory, image_data_generator, target_size=(256, 256),
                 color_mode="rgb", classes=None, class_mode="categorical", batch_size=32,
                 shuffle=True, seed=None, data_format=None, save_to_dir=None, save_prefix="",
                 save_format="png", follow_links=False, subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype=None):
        self.dtype = dtype or config.floatx()
        self.set_processing_attrs(image_data_generator, target_size, color_mode, data_format,
                                  save_to_dir, save_prefix, save_format, subset, interpolation,
                                  keep_aspect_ratio)
        _check_class_mode(class_mode)
        self.class_mode = class_mode
        self.directory = os.fspath(directory)
        if not os.path.isdir(self.directory):
            raise ValueError(f"flow_from_directory: directory {self.directory!r} does not "
                             "exist.")
        if not classes:
            classes = sorted(d for d in os.listdir(self.directory)
                             if os.path.isdir(os.path.join(self.directory, d)))
        self.num_classes = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes))))
        filenames, labels = [], []
        for name in classes:
            found = self._list_valid_files(os.path.join(self.directory, name), follow_links)
            filenames.extend(os.path.relpath(f, self.directory) for f in found)
            labels.extend([self.class_indices[name]] * len(found))
        self.filenames = filenames
        self.classes = np.asarray(labels, dtype="int32")
        self.samples = len(filenames)
        self._filepaths = [os.path.join(self.directory, f) for f in filenames]
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        if self.samples == 0 and class_mode is not None and self.num_classes == 0:
            warnings.warn(f"flow_from_directory: {self.directory!r} has no class "
                          "subdirectories; with class_mode=None put the images in one "
                          "subdirectory.", stacklevel=3)
        super().__init__(self.samples, batch_size, shuffle, seed)

    def _list_valid_files(self, class_dir, follow_links):
        if not os.path.isdir(class_dir):
            raise ValueError(f"flow_from_directory: class directory {class_dir!r} does not "
                             "exist.")
        found = []
        for root, dirs, files in os.walk(class_dir, followlinks=follow_links):
            dirs.sort()
            found.extend(os.path.join(root, f) for f in files
                         if f.lower().rsplit(".", 1)[-1] in self.white_list_formats
                         and "." in f)
        found.sort()
        if self.split:
            start = int(self.split[0] * len(found))
            stop = int(self.split[1] * len(found))
            found = found[start:stop]
        return found

    @property
    def filepaths(self):
        return self._filepaths
