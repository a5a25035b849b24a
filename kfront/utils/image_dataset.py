"""``image_dataset_from_directory``: labelled image batches from a folder per class."""
import numpy as np

from kfront import config
from kfront.utils.dataset_formats import check_format, wrap
from kfront.utils.directory_listing import (
    FileBatches, check_validation_split_arg, encode_labels, labelled_files,
)

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


def _split(items, validation_split, subset):
    if not validation_split:
        return items
    num_val = int(validation_split * len(items))
    return items[:-num_val] if subset == "training" and num_val else \
        items[len(items) - num_val:] if subset == "validation" else items


class ImageDataset(FileBatches):
    """Batches of images read from files (and their labels), in a fixed or per-epoch
    shuffled order. ``class_names`` and ``file_paths`` are attributes, as in Keras."""

    def __init__(self, file_paths, labels, label_mode, class_names, image_size, color_mode,
                 batch_size, shuffle, seed, interpolation, crop_to_aspect_ratio,
                 pad_to_aspect_ratio, data_format):
        super().__init__(file_paths, batch_size, shuffle, np.random.RandomState(seed))
        self.labels = labels
        self.label_mode = label_mode
        self.class_names = class_names
        self.image_size = image_size
        self.color_mode = color_mode
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.data_format = data_format

    def _load(self, index):
        from kfront.ops import image as image_ops
        from kfront.utils.image_utils import img_to_array, load_img
        x = img_to_array(load_img(self.file_paths[index], color_mode=self.color_mode),
                         data_format="channels_last", dtype="float32")
        return image_ops.resize(x, self.image_size, interpolation=self.interpolation,
                                crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                                pad_to_aspect_ratio=self.pad_to_aspect_ratio,
                                data_format="channels_last", xp=image_ops.numpy_namespace)

    def __getitem__(self, index):
        picks = self._picks(index)
        x = np.stack([self._load(i) for i in picks]).astype("float32")
        if self.data_format == "channels_first":
            x = x.transpose(0, 3, 1, 2)
        y = None if self.label_mode is None else \
            encode_labels(self.labels[picks], self.label_mode, len(self.class_names))
        if self.batch_size is None:
            x = x[0]
            y = None if y is None else y[0]
        return x if y is None else (x, y)


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, format="tf",
                                 verbose=True):
    """Batches of (images, labels) from ``directory/<class name>/<image files>``.

    Images are float32 in [0, 255] of shape (batch, *image_size, channels); labels follow
    ``label_mode``: "int" (int32 class indices), "categorical" (one-hot float32), "binary"
    (float32 (batch, 1), two classes) or None (images only). Returns what Keras 3 returns,
    a ``tf.data.Dataset`` (``format="tf"``), a ``grain.IterDataset`` (``format="grain"``), or
    kfront's own ``Dataset`` (the ``tf.data`` methods tutorials chain) with
    ``format="kfront"`` or where TensorFlow is not installed; ``fit``/``evaluate``/``predict``
    accept each on every backend. Both carry
    ``class_names`` and ``file_paths``; ``subset="both"`` returns (training, validation).

    Args:
        directory: the folder of class subfolders.
        labels: "inferred" (from the subfolders), None, or a list of ints, one per file in
            alphanumeric order.
        label_mode, class_names, color_mode ("grayscale", "rgb", "rgba"), batch_size (None
            yields single images), image_size, shuffle, seed, validation_split, subset
            ("training", "validation" or "both"), interpolation ("bilinear" or "nearest"),
            follow_links, crop_to_aspect_ratio, pad_to_aspect_ratio, data_format, verbose:
            as in Keras.
        format: "tf" (default), "kfront", or "grain" (needs ``kfront[grain]``; NumPy
            batches, shuffled once with ``seed`` as Keras's Grain datasets are).

    Files with other extensions than .bmp, .gif, .jpeg, .jpg and .png are ignored; a file
    with an image extension that cannot be decoded raises a ValueError naming it when its
    batch is read.
    """
    check_format(format)
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError("`labels` argument should be a list/tuple of integer labels, of "
                             "the same size as the number of image files in the target "
                             "directory. If you wish to infer the labels from the "
                             'subdirectory names in the target directory, pass `labels="'
                             'inferred"`. If you wish to get a dataset that only contains '
                             f"images (no labels), pass `labels=None`. Received: "
                             f"labels={labels!r}")
        if class_names:
            raise ValueError('You can only pass `class_names` if `labels="inferred"`. '
                             f"Received: labels={labels!r}, and class_names={class_names!r}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError('`label_mode` argument must be one of "int", "categorical", '
                         f'"binary", or None. Received: label_mode={label_mode!r}')
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if color_mode not in _CHANNELS:
        raise ValueError('`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
                         f"Received: color_mode={color_mode!r}")
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    if not (isinstance(image_size, (list, tuple)) and len(image_size) == 2):
        raise ValueError("Invalid `image_size` value. Expected a tuple of 2 integers. "
                         f"Received: image_size={image_size!r}")
    from kfront.ops.image import check_interpolation
    interpolation = check_interpolation("image_dataset_from_directory", interpolation)
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    data_format = data_format or config.image_data_format()
    if seed is None:
        seed = int(np.random.randint(1_000_000))
    paths, indices, names = labelled_files(directory, ALLOWLIST_FORMATS, labels, class_names,
                                           follow_links, "images")
    if verbose:
        if labels == "inferred":
            print(f"Found {len(paths)} files belonging to {len(names)} classes.")
        else:
            print(f"Found {len(paths)} files.")
    if label_mode == "binary" and len(names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={names}")
    if shuffle:
        # One seeded permutation of the file list, so the validation split is stable.
        order = np.random.RandomState(seed).permutation(len(paths))
        paths, indices = [paths[i] for i in order], indices[order]
    subsets = ("training", "validation") if subset == "both" else (subset,)
    datasets = []
    for part in subsets:
        part_paths = _split(paths, validation_split, part)
        part_labels = _split(indices, validation_split, part)
        if not part_paths:
            raise ValueError(f"No {part or ''} images found in directory {directory}. "
                             f"Allowed formats: {ALLOWLIST_FORMATS}".replace("  ", " "))
        if verbose and validation_split:
            print(f"Using {len(part_paths)} files for {part}.")
        # Grain shuffles its own way (once, by MapDataset.shuffle), and as in Keras not the
        # validation half of subset="both".
        grain_shuffle = shuffle and not (subset == "both" and part == "validation")
        batches = ImageDataset(
            part_paths, part_labels, label_mode, names, tuple(int(s) for s in image_size),
            color_mode, batch_size, shuffle and format != "grain", seed, interpolation,
            crop_to_aspect_ratio, pad_to_aspect_ratio, data_format)
        datasets.append(wrap(batches, format, batched=batch_size is not None,
                             attributes={"class_names": names, "file_paths": part_paths},
                             shuffle=grain_shuffle, seed=seed))
    return tuple(datasets) if subset == "both" else datasets[0]
