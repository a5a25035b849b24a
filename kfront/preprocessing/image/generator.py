"""``ImageDataGenerator``: Keras 2's real-time image augmentation, run in NumPy on the host."""
import warnings

import numpy as np

from kfront import config
from kfront.preprocessing.image import affine

_FILL_MODES = ("constant", "nearest", "reflect", "wrap")


def _range_pair(name, value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [1 - value, 1 + value]
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return [value[0], value[1]]
    raise ValueError(f"`{name}` should be a float or a tuple or list of two floats. "
                     f"Received: {value!r}")


class ImageDataGenerator:
    """Generates batches of augmented images (Keras 2 API; Keras 3 recommends the
    ``Random*`` preprocessing layers instead).

    Args:
        featurewise_center, featurewise_std_normalization: subtract the dataset mean /
            divide by its std, per channel (call ``fit`` on sample data first).
        samplewise_center, samplewise_std_normalization: the same per image.
        zca_whitening: not supported (raises NotImplementedError).
        rotation_range: degrees of random rotation.
        width_shift_range, height_shift_range: a float (< 1: fraction of the size; >= 1:
            pixels), or a list of allowed pixel shifts.
        brightness_range: (low, high) brightness factors.
        shear_range: shear angle range in degrees.
        zoom_range: a float z ([1 - z, 1 + z]) or [lower, upper].
        channel_shift_range: range of random channel shifts.
        fill_mode: "constant", "nearest" (default), "reflect" or "wrap"; cval for "constant".
        horizontal_flip, vertical_flip: flip at random.
        rescale: a factor multiplied into the data before other standardization.
        preprocessing_function: applied to each image (after augmentation) first thing in
            ``standardize``.
        data_format: "channels_last" or "channels_first".
        validation_split: the fraction reserved for ``subset="validation"``.
        interpolation_order: 0 (nearest) or 1 (bilinear).
        dtype: the dtype of the generated arrays.
    """

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0,
                 width_shift_range=0.0, height_shift_range=0.0, brightness_range=None,
                 shear_range=0.0, zoom_range=0.0, channel_shift_range=0.0, fill_mode="nearest",
                 cval=0.0, horizontal_flip=False, vertical_flip=False, rescale=None,
                 preprocessing_function=None, data_format=None, validation_split=0.0,
                 interpolation_order=1, dtype=None):
        warnings.warn("`ImageDataGenerator` is deprecated (Keras 3 dropped it): prefer "
                      "`kfront.utils.image_dataset_from_directory` with augmentation layers "
                      "such as `kfront.layers.RandomFlip` in the model.", DeprecationWarning,
                      stacklevel=2)
        if zca_whitening:
            raise NotImplementedError("ImageDataGenerator: zca_whitening is not supported by "
                                      "kfront. Whiten the data beforehand, or drop the option.")
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = False
        self.zca_epsilon = zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.shear_range = shear_range
        self.channel_shift_range = channel_shift_range
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.interpolation_order = interpolation_order
        self.dtype = dtype or config.floatx()
        if fill_mode not in _FILL_MODES:
            raise ValueError(f"ImageDataGenerator: invalid fill_mode {fill_mode!r}; expected "
                             f"one of {_FILL_MODES}.")
        self.fill_mode = fill_mode
        if interpolation_order not in (0, 1):
            raise ValueError("ImageDataGenerator: `interpolation_order` must be 0 (nearest) "
                             f"or 1 (bilinear). Received: {interpolation_order!r}")
        data_format = data_format or config.image_data_format()
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError("`data_format` should be `\"channels_last\"` (channel after row "
                             "and column) or `\"channels_first\"` (channel before row and "
                             f"column). Received: {data_format!r}")
        self.data_format = data_format
        self.channel_axis, self.row_axis, self.col_axis = (1, 2, 3) \
            if data_format == "channels_first" else (3, 1, 2)
        if not 0 <= validation_split < 1:
            raise ValueError("`validation_split` must be strictly between 0 and 1. "
                             f"Received: {validation_split}")
        self._validation_split = validation_split
        self.mean = None
        self.std = None
        self.zoom_range = _range_pair("zoom_range", zoom_range)
        if brightness_range is not None and not (
                isinstance(brightness_range, (list, tuple)) and len(brightness_range) == 2):
            raise ValueError("`brightness_range should be tuple or list of two floats. "
                             f"Received: {brightness_range!r}")
        self.brightness_range = brightness_range
        if featurewise_std_normalization and not featurewise_center:
            self.featurewise_center = True
            warnings.warn("This ImageDataGenerator specifies `featurewise_std_normalization`, "
                          "which overrides setting of `featurewise_center`.", stacklevel=2)
        if samplewise_std_normalization and not samplewise_center:
            self.samplewise_center = True
            warnings.warn("This ImageDataGenerator specifies `samplewise_std_normalization`, "
                          "which overrides setting of `samplewise_center`.", stacklevel=2)

    # ---- iterators ----
    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
             subset=None):
        """Batches of augmented images from arrays: yields (x, y), (x, y, sample_weight),
        or x when ``y`` is None. Returns a ``NumpyArrayIterator`` (a PyDataset)."""
        from kfront.preprocessing.image.iterators import NumpyArrayIterator
        return NumpyArrayIterator(
            x, y, self, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight,
            seed=seed, data_format=self.data_format, save_to_dir=save_to_dir,
            save_prefix=save_prefix, save_format=save_format,
            ignore_class_split=ignore_class_split, subset=subset, dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32,
                            shuffle=True, seed=None, save_to_dir=None, save_prefix="",
                            save_format="png", follow_links=False, subset=None,
                            interpolation="nearest", keep_aspect_ratio=False):
        """Batches of augmented images read from ``directory/<class>/<files>``. Returns a
        ``DirectoryIterator`` (a PyDataset)."""
        from kfront.preprocessing.image.iterators import DirectoryIterator
        return DirectoryIterator(
            directory, self, target_size=target_size, color_mode=color_mode, classes=classes,
            class_mode=class_mode, data_format=self.data_format, batch_size=batch_size,
            shuffle=shuffle, seed=seed, save_to_dir=save_to_dir, save_prefix=save_prefix,
            save_format=save_format, follow_links=follow_links, subset=subset,
            interpolation=interpolation, keep_aspect_ratio=keep_aspect_ratio,
            dtype=self.dtype)

    def flow_from_dataframe(self, dataframe, directory=None, x_col="filename", y_col="class",
                            weight_col=None, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32,
                            shuffle=True, seed=None, save_to_dir=None, save_prefix="",
                            save_format="png", subset=None, interpolation="nearest",
                            validate_filenames=True, **kwargs):
        """Batches of augmented images whose paths (and labels) are columns of a pandas
        DataFrame. Returns a ``DataFrameIterator`` (a PyDataset)."""
        from kfront.preprocessing.image.dataframe import DataFrameIterator
        if kwargs:
            raise TypeError(f"flow_from_dataframe: unknown arguments {sorted(kwargs)}.")
        return DataFrameIterator(
            dataframe, directory, self, x_col=x_col, y_col=y_col, weight_col=weight_col,
            target_size=target_size, color_mode=color_mode, classes=classes,
            class_mode=class_mode, data_format=self.data_format, batch_size=batch_size,
            shuffle=shuffle, seed=seed, save_to_dir=save_to_dir, save_prefix=save_prefix,
            save_format=save_format, subset=subset, interpolation=interpolation,
            validate_filenames=validate_filenames, dtype=self.dtype)

    # ---- per-image work ----
    def standardize(self, x):
        """Applies the normalization options to one image or a batch (in place when it
        can, as Keras 2 does) and returns it."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        if self.featurewise_center:
            if self.mean is not None:
                x -= self.mean
            else:
                warnings.warn("This ImageDataGenerator specifies `featurewise_center`, but it "
                              "hasn't been fit on any training data. Fit it first by calling "
                              "`.fit(numpy_data)`.", stacklevel=2)
        if self.featurewise_std_normalization:
            if self.std is not None:
                x /= self.std + 1e-6
            else:
                warnings.warn("This ImageDataGenerator specifies "
                              "`featurewise_std_normalization`, but it hasn't been fit on any "
                              "training data. Fit it first by calling `.fit(numpy_data)`.",
                              stacklevel=2)
        return x

    def _shift(self, rng, shift_range, size):
        if not shift_range:
            return 0
        if isinstance(shift_range, (list, tuple, np.ndarray)):
            shift = rng.choice(shift_range) * rng.choice([-1, 1])
        else:
            shift = rng.uniform(-shift_range, shift_range)
        if np.max(shift_range) < 1:
            shift *= size
        return shift

    def get_random_transform(self, img_shape, seed=None, rng=None):
        """Draws the parameters of one random transform for an image of ``img_shape``."""
        rng = rng or (np.random.RandomState(seed) if seed is not None else np.random)
        row_axis, col_axis = self.row_axis - 1, self.col_axis - 1
        theta = rng.uniform(-self.rotation_range, self.rotation_range) \
            if self.rotation_range else 0
        tx = self._shift(rng, self.height_shift_range, img_shape[row_axis])
        ty = self._shift(rng, self.width_shift_range, img_shape[col_axis])
        shear = rng.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = rng.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = bool(rng.random_sample() < 0.5) and bool(self.horizontal_flip)
        flip_vertical = bool(rng.random_sample() < 0.5) and bool(self.vertical_flip)
        channel_shift = rng.uniform(-self.channel_shift_range, self.channel_shift_range) \
            if self.channel_shift_range != 0 else None
        brightness = rng.uniform(self.brightness_range[0], self.brightness_range[1]) \
            if self.brightness_range is not None else None
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_horizontal, "flip_vertical": flip_vertical,
                "channel_shift_intensity": channel_shift, "brightness": brightness}

    def apply_transform(self, x, transform_parameters):
        """Applies ``transform_parameters`` (as ``get_random_transform`` returns them) to
        one 3D image."""
        row_axis, col_axis, channel_axis = self.row_axis - 1, self.col_axis - 1, \
            self.channel_axis - 1
        p = transform_parameters
        x = affine.apply_affine_transform(
            x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0), p.get("shear", 0),
            p.get("zx", 1), p.get("zy", 1), row_axis=row_axis, col_axis=col_axis,
            channel_axis=channel_axis, fill_mode=self.fill_mode, cval=self.cval,
            order=self.interpolation_order)
        if p.get("channel_shift_intensity") is not None:
            x = affine.apply_channel_shift(x, p["channel_shift_intensity"], channel_axis)
        if p.get("flip_horizontal", False):
            x = affine.flip_axis(x, col_axis)
        if p.get("flip_vertical", False):
            x = affine.flip_axis(x, row_axis)
        if p.get("brightness") is not None:
            x = affine.apply_brightness_shift(x, p["brightness"], False)
        return x

    def random_transform(self, x, seed=None):
        """One randomly augmented copy of a 3D image (``seed`` makes it reproducible)."""
        x = np.asarray(x)
        if x.ndim != 3:
            raise ValueError(f"random_transform expects one image of rank 3; received an "
                             f"array of shape {x.shape}.")
        return self.apply_transform(x, self.get_random_transform(x.shape, seed))

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the per-channel mean and std of ``x`` (rank 4) for the featurewise
        options; with ``augment``, over ``rounds`` augmented copies."""
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"Input to `.fit()` should have rank 4. Got array with shape: "
                             f"{x.shape}")
        if x.shape[self.channel_axis] not in (1, 3, 4):
            warnings.warn(f"Expected input to be images (as Numpy array) following the data "
                          f'format convention "{self.data_format}" (channels on axis '
                          f"{self.channel_axis}), i.e. expected either 1, 3 or 4 channels on "
                          f"axis {self.channel_axis}. However, it was passed an array with "
                          f"shape {x.shape} ({x.shape[self.channel_axis]} channels).",
                          stacklevel=2)
        rng = np.random.RandomState(seed) if seed is not None else np.random
        if augment:
            x = np.concatenate([
                np.stack([self.apply_transform(img, self.get_random_transform(img.shape,
                                                                              rng=rng))
                          for img in x]) for _ in range(rounds)]).astype(self.dtype)
        else:
            x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=axes), shape)
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=axes), shape)
