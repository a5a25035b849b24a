"""``ContrastLimitedAdaptiveHistogramEqualization`` (CLAHE): equalization per tile with a
clipped histogram, blended bilinearly between tile centers."""
import numpy as np

from kfront import ops
from kfront.layers.preprocessing.image._augment import (AugmentationLayer, rescale,
                                                         value_range_arg)
from kfront.layers.preprocessing.image._base import batch_size

_U8 = (0, 255)


class ContrastLimitedAdaptiveHistogramEqualization(AugmentationLayer):
    """Contrast-limited adaptive histogram equalization of each channel, in training and
    inference (as in Keras).

    The image (values mapped to 0-255, truncated to whole levels) is cut into
    ``tile_grid_size`` tiles, padded by mirroring when the size does not divide. Each
    tile's 256-bin histogram is clipped at ``clip_limit * pixels / 256`` with the excess
    spread evenly, and its cumulative histogram, scaled to 0-255, maps the tile's levels.
    Each pixel blends the maps of the four nearest tile centers bilinearly.

    Args:
        value_range: the (low, high) range of the inputs.
        clip_limit: the histogram clip as a multiple of the mean bin count (default 4);
            0 or less disables clipping (plain adaptive equalization).
        tile_grid_size: (rows, columns) of tiles (default (8, 8)).
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    APPLIES_AT_INFERENCE = True

    def __init__(self, value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8),
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        owner = "ContrastLimitedAdaptiveHistogramEqualization"
        self.value_range = value_range_arg(owner, value_range)
        if isinstance(clip_limit, bool) or not isinstance(clip_limit, (int, float)):
            raise ValueError(f"{owner}: `clip_limit` must be a number. Received: "
                             f"clip_limit={clip_limit!r}")
        if not (isinstance(tile_grid_size, (list, tuple)) and len(tile_grid_size) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) and v > 0
                        for v in tile_grid_size)):
            raise ValueError(f"{owner}: `tile_grid_size` must be two positive ints (rows, "
                             f"columns). Received: tile_grid_size={tile_grid_size!r}")
        self.clip_limit = clip_limit
        self.tile_grid_size = tuple(tile_grid_size)

    def transform_images(self, images, transformation=None, training=True):
        x = rescale(images, self.value_range, _U8)
        return rescale(self._clahe(ops.cast(x, "float32")), _U8, self.value_range)

    def _tile_maps(self, padded, tile_h, tile_w):
        """(B, gh, gw, C, 256) level maps of the tiles, edge tiles repeated once around."""
        grid_h, grid_w = self.tile_grid_size
        channels = ops.shape(padded)[-1]
        tiles = ops.reshape(padded, (-1, grid_h, tile_h, grid_w, tile_w, channels))
        tiles = ops.transpose(tiles, (0, 1, 3, 5, 2, 4))
        levels = ops.cast(ops.clip(ops.cast(tiles, "int32"), 0, 255), "int32")
        rows = ops.reshape(levels, (-1, tile_h * tile_w))
        hist = ops.cast(ops.bincount(rows, minlength=256), "float32")
        if self.clip_limit > 0:
            limit = self.clip_limit * (tile_h * tile_w) / 256.0
            clipped = ops.minimum(hist, limit)
            hist = clipped + ops.sum(hist - clipped, axis=-1, keepdims=True) / 256.0
        cdf = ops.cumsum(hist, axis=-1)
        cdf_min = ops.min(cdf, axis=-1, keepdims=True)
        denominator = tile_h * tile_w - cdf_min
        denominator = ops.where(denominator == 0, 1.0, denominator)
        maps = ops.clip((cdf - cdf_min) * 255.0 / denominator, 0, 255)
        maps = ops.reshape(maps, (-1, grid_h, grid_w, channels, 256))
        maps = ops.concatenate([maps[:, :1], maps, maps[:, -1:]], axis=1)
        return ops.concatenate([maps[:, :, :1], maps, maps[:, :, -1:]], axis=2)

    def _clahe(self, images):
        _, height, width, channels = ops.shape(images)
        grid_h, grid_w = self.tile_grid_size
        tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
        pad_h, pad_w = tile_h * grid_h - height, tile_w * grid_w - width
        padded = images
        if pad_h or pad_w:
            padded = ops.pad(images, [[0, 0], [0, pad_h], [0, pad_w], [0, 0]],
                             mode="symmetric")
        maps = self._tile_maps(padded, tile_h, tile_w)
        # Each output row/column sits between two tile centers (indices into the
        # edge-padded grid of maps) with a blending weight.
        y = (np.arange(grid_h * tile_h) - tile_h / 2.0) / tile_h + 1.0
        x = (np.arange(grid_w * tile_w) - tile_w / 2.0) / tile_w + 1.0
        y0, x0 = np.floor(y), np.floor(x)
        wy, wx = (y - y0).astype("float32"), (x - x0).astype("float32")
        y0i, y1i = np.clip(y0, 0, grid_h + 1).astype(int), np.clip(y0 + 1, 0, grid_h + 1).astype(int)
        x0i, x1i = np.clip(x0, 0, grid_w + 1).astype(int), np.clip(x0 + 1, 0, grid_w + 1).astype(int)
        levels = ops.cast(ops.clip(padded, 0, 255), "int32")
        # One flat gather per corner: index = (((b * rows + y) * cols + x) * C + c) * 256
        # + level, so no (pixels x 256) intermediate is built.
        rows, cols = grid_h + 2, grid_w + 2
        flat_maps = ops.reshape(maps, (-1,))
        b = ops.reshape(ops.arange(batch_size(images), dtype="int32"), (-1, 1, 1, 1))
        c = ops.reshape(ops.arange(channels, dtype="int32"), (1, 1, 1, -1))
        base = b * (rows * cols * channels * 256) + c * 256 + levels

        def read(yi, xi):
            offset = (yi.reshape(1, -1, 1, 1) * cols + xi.reshape(1, 1, -1, 1)) \
                * (channels * 256)
            return ops.take(flat_maps, base + ops.convert_to_tensor(offset.astype("int32")))

        wy_t = ops.reshape(ops.convert_to_tensor(wy), (1, -1, 1, 1))
        wx_t = ops.reshape(ops.convert_to_tensor(wx), (1, 1, -1, 1))
        top = read(y0i, x0i) * (1.0 - wx_t) + read(y0i, x1i) * wx_t
        bottom = read(y1i, x0i) * (1.0 - wx_t) + read(y1i, x1i) * wx_t
        out = top * (1.0 - wy_t) + bottom * wy_t
        return out[:, :height, :width, :]

    def get_config(self):
        config = {**super().get_config(), "value_range": self.value_range,
                  "clip_limit": self.clip_limit, "tile_grid_size": self.tile_grid_size}
        config.pop("seed", None)
        return config
