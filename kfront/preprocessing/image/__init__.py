"""``kfront.preprocessing.image``: the Keras 2 image tools (``ImageDataGenerator`` and its
iterators, the affine helpers) and the image file utilities."""
from kfront.preprocessing.image.affine import (apply_affine_transform,  # noqa: F401
                                               apply_brightness_shift, apply_channel_shift,
                                               flip_axis, transform_matrix_offset_center)
from kfront.preprocessing.image.dataframe import DataFrameIterator  # noqa: F401
from kfront.preprocessing.image.generator import ImageDataGenerator  # noqa: F401
from kfront.preprocessing.image.iterators import (DirectoryIterator, Iterator,  # noqa: F401
                                                  NumpyArrayIterator)
from kfront.utils.image_utils import (array_to_img, img_to_array, load_img,  # noqa: F401
                                      save_img, smart_resize)

__all__ = ["DataFrameIterator", "DirectoryIterator", "ImageDataGenerator", "Iterator",
           "NumpyArrayIterator", "apply_affine_transform", "apply_brightness_shift",
           "apply_channel_shift", "array_to_img", "flip_axis", "img_to_array", "load_img",
           "save_img", "smart_resize", "transform_matrix_offset_center"]
