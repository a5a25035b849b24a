"""``DataFrameIterator``: augmented batches of image files listed in a pandas DataFrame."""
import os
import warnings

import numpy as np

from kfront import config
from kfront.preprocessing.image.iterators import (BatchFromFilesMixin, Iterator,
                                                  _check_class_mode)

DATAFRAME_CLASS_MODES = ("binary", "categorical", "input", "multi_output", "raw", "sparse",
                         None)


class DataFrameIterator(BatchFromFilesMixin, Iterator):
    """Batches from ``dataframe[x_col]`` (paths, relative to ``directory`` if given) with
    labels from ``y_col`` (``ImageDataGenerator.flow_from_dataframe``).

    ``class_mode``: "categorical"/"binary"/"sparse" (labels are class names, strings),
    "raw" (``y_col`` values as they are), "multi_output" (one array per ``y_col`` entry),
    "input" or None.
    """

    def __init__(self, dataframe, directory=None, image_data_generator=None,
                 x_col="filename", y_col="class", weight_col=None, target_size=(256, 256),
                 color_mode="rgb", classes=None, class_mode="categorical", batch_size=32,
                 shuffle=True, seed=None, data_format=None, save_to_dir=None, save_prefix="",
                 save_format="png", subset=None, interpolation="nearest",
                 validate_filenames=True, keep_aspect_ratio=False, dtype=None):
        self.dtype = dtype or config.floatx()
        self.set_processing_attrs(image_data_generator, target_size, color_mode, data_format,
                                  save_to_dir, save_prefix, save_format, subset, interpolation,
                                  keep_aspect_ratio)
        _check_class_mode(class_mode, DATAFRAME_CLASS_MODES)
        self.class_mode = class_mode
        self.directory = directory
        df = dataframe.copy()
        self._check_columns(df, x_col, y_col, weight_col)
        if class_mode in ("categorical", "binary", "sparse"):
            df[y_col] = df[y_col].apply(lambda v: [str(c) for c in v] if isinstance(
                v, (list, tuple)) else str(v))
            if classes is None:
                classes = sorted({c for v in df[y_col] for c in
                                  (v if isinstance(v, list) else [v])})
            classes = [str(c) for c in classes]
            df = df[df[y_col].isin(classes)] if not any(isinstance(v, list) for v in
                                                        df[y_col]) else df
            if class_mode == "binary" and len(classes) != 2:
                raise ValueError(f'If class_mode="binary" there must be 2 classes. Found '
                                 f"{len(classes)} classes: {classes}.")
        if validate_filenames:
            df = self._drop_invalid(df, x_col)
        if self.split:
            n = len(df)
            df = df.iloc[int(self.split[0] * n):int(self.split[1] * n)]
        self.class_indices = {c: i for i, c in enumerate(classes or [])}
        self.num_classes = len(self.class_indices)
        if class_mode in ("categorical", "binary", "sparse"):
            labels = df[y_col].values
            if any(isinstance(v, list) for v in labels):
                raise ValueError("flow_from_dataframe: lists of labels (multi-label) are not "
                                 "supported; use class_mode='raw' with one-hot columns.")
            self.classes = np.asarray([self.class_indices[v] for v in labels], dtype="int32")
        elif class_mode == "raw":
            self.data = np.asarray(df[y_col].values if isinstance(y_col, str)
                                   else df[list(y_col)].values)
        elif class_mode == "multi_output":
            self.data = [np.asarray(df[c].values) for c in y_col]
        self.filenames = [str(f) for f in df[x_col]]
        self._filepaths = [f if directory is None else os.path.join(directory, f)
                           for f in self.filenames]
        self._sample_weight = np.asarray(df[weight_col].values, dtype=self.dtype) \
            if weight_col else None
        self.samples = len(self.filenames)
        if class_mode in ("categorical", "binary", "sparse"):
            print(f"Found {self.samples} validated image filenames belonging to "
                  f"{self.num_classes} classes.")
        else:
            print(f"Found {self.samples} validated image filenames.")
        super().__init__(self.samples, batch_size, shuffle, seed)

    @staticmethod
    def _check_columns(df, x_col, y_col, weight_col):
        if not hasattr(df, "columns") or not hasattr(df, "iloc"):
            raise TypeError("flow_from_dataframe expects a pandas DataFrame; received "
                            f"{type(df).__name__}.")
        if x_col not in df.columns:
            raise ValueError(f'x_col="{x_col}" is not a column of the dataframe '
                             f"(columns: {list(df.columns)}).")
        for col in ([y_col] if isinstance(y_col, str) else list(y_col or [])):
            if col not in df.columns:
                raise ValueError(f'y_col="{col}" is not a column of the dataframe '
                                 f"(columns: {list(df.columns)}).")
        if weight_col and weight_col not in df.columns:
            raise ValueError(f'weight_col="{weight_col}" is not a column of the dataframe.')
        if not df[x_col].apply(lambda v: isinstance(v, str)).all():
            raise TypeError(f'All values in column x_col="{x_col}" must be strings.')

    def _drop_invalid(self, df, x_col):
        def valid(name):
            path = name if self.directory is None else os.path.join(self.directory, name)
            return os.path.isfile(path) and \
                name.lower().rsplit(".", 1)[-1] in self.white_list_formats
        mask = df[x_col].apply(valid)
        bad = int((~mask).sum())
        if bad:
            warnings.warn(f'Found {bad} invalid image filename(s) in x_col="{x_col}". These '
                          "filename(s) will be ignored.", stacklevel=4)
        return df[mask]

    @property
    def filepaths(self):
        return self._filepaths
