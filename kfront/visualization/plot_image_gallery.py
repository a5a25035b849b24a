"""``plot_image_gallery``: a grid of images, with optional labels, saved or shown."""
import math

import numpy as np

from kfront.visualization._common import batched_images, data_format_of, pyplot


def plot_image_gallery(images, y_true=None, y_pred=None, label_map=None, rows=None, cols=None,
                       value_range=(0, 255), scale=2, path=None, show=None, transparent=True,
                       dpi=60, legend_handles=None, data_format=None):
    """Plots images in a rows x cols grid with matplotlib.

    Args:
        images: (batch, height, width, channels) images.
        y_true, y_pred: class indices per image, shown as titles through ``label_map``.
        label_map: {index: name}; required with ``y_true`` or ``y_pred``.
        rows, cols: the grid; by default about square (rows = ceil(sqrt(batch))).
        value_range: the images' (min, max), mapped to [0, 255].
        scale: inches per grid cell.
        path: save the figure there (PNG, by the extension) instead of showing it.
        show: show the figure (default: when ``path`` is None).
        transparent, dpi: passed to ``savefig``.
        legend_handles: matplotlib patches for a legend under the grid.
        data_format: "channels_last" or "channels_first" (the config's by default).

    Example:
        >>> plot_image_gallery(images, rows=2, cols=4, path="gallery.png")
    """
    plt = pyplot("plot_image_gallery")
    if path is not None and show:
        raise ValueError("plot_image_gallery: pass either `path` (save the figure) or "
                         f"show=True, not both. Received: path={path!r}, show={show!r}")
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError("plot_image_gallery: `label_map` is required with `y_true` or "
                         "`y_pred`.")
    pixels = batched_images("plot_image_gallery", images, data_format_of(data_format))
    show = path is None if show is None else show
    batch = pixels.shape[0]
    rows = rows or int(math.ceil(math.sqrt(batch)))
    cols = cols or int(math.ceil(batch / rows))
    low, high = value_range
    pixels = (pixels.astype("float32") - low) / (high - low) * 255.0
    pixels = np.clip(pixels, 0, 255).astype("uint8")
    if pixels.shape[-1] == 1:
        pixels = pixels[..., 0]
    y_true = None if y_true is None else np.asarray(y_true)
    y_pred = None if y_pred is None else np.asarray(y_pred)
    fig, axes = plt.subplots(nrows=rows, ncols=cols, figsize=(cols * scale, rows * scale),
                             frameon=False, layout="tight", squeeze=False, sharex="row",
                             sharey="col")
    fig.subplots_adjust(wspace=0, hspace=0)
    if legend_handles is not None:
        fig.legend(handles=legend_handles, loc="lower center")
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index >= batch:
            continue
        axis.imshow(pixels[index], cmap="gray" if pixels.ndim == 3 else None)
        axis.margins(x=0, y=0)
        title = []
        if y_true is not None and index < len(y_true):
            title.append(f"Label: {label_map.get(y_true[index].item(), 'Unknown')}")
        if y_pred is not None and index < len(y_pred):
            title.append(f"Pred: {label_map.get(y_pred[index].item(), 'Unknown')}")
        if title:
            axis.set_title("  ".join(title), fontsize=8)
    if path is not None:
        fig.savefig(path, pad_inches=0, bbox_inches="tight", transparent=transparent, dpi=dpi)
        plt.close(fig)
    elif show:
        plt.show()
        plt.close(fig)
