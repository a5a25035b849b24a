"""Dict inputs for the image layers: images with the boxes and masks that move with them.

An image layer called on ``{"images": ..., "bounding_boxes": {"boxes": ..., "labels": ...},
"segmentation_masks": ..., "labels": ...}`` returns the same keys, as Keras 3 does. A
layer takes part by defining, on channels-last float batches:

- ``get_random_transformation(images, training)``: the draws for this call (or None);
- ``transform_images(images, transformation, training)``;
- ``transform_box_corners(boxes, transformation, image_size, training)``: absolute
  (x1, y1, x2, y2) boxes of shape (B, N, 4) moved into the output image, or None when they
  stay where they are. This module converts formats, clips the moved boxes to the output
  image and gives boxes left with no area the label -1;
- optionally ``transform_segmentation_masks(masks, transformation, training)`` (default:
  ``transform_images``).

A layer that leaves geometry alone (a color change) sets ``boxes_unchanged = True``;
boxes and masks then pass through. A layer that changes the boxes some other way (MixUp
adds the boxes of the image it blends in) defines ``transform_bounding_boxes(bounding_boxes,
transformation, training)`` on batched boxes in the layer's format instead.

Class labels ("labels") pass through unless the layer defines ``transform_labels(labels,
transformation, training)`` (MixUp and CutMix mix them as their images); any other entries
always pass through, as in Keras.
"""
from kfront import ops
from kfront.utils.bounding_boxes import clip_to_image_size, convert_format

def _owner(layer):
    return f'{type(layer).__name__} "{layer.name}"'


def _to_batch(layer, x, single):
    """A channels-last batch from ``x`` (one image when ``single``)."""
    if single:
        x = ops.expand_dims(x, 0)
    if layer.data_format == "channels_first":
        x = ops.transpose(x, (0, 2, 3, 1))
    return x


def _from_batch(layer, x, single):
    if layer.data_format == "channels_first":
        x = ops.transpose(x, (0, 3, 1, 2))
    return x[0] if single else x


def supports_boxes(layer):
    return hasattr(layer, "transform_box_corners") or hasattr(
        layer, "transform_bounding_boxes") or getattr(layer, "boxes_unchanged", False)


def _batched(value, single):
    value = ops.convert_to_tensor(value)
    return ops.expand_dims(value, 0) if single else value


def _own_boxes(layer, bounding_boxes, transformation, training, single):
    """Boxes through the layer's own ``transform_bounding_boxes`` (batched, its format)."""
    if not isinstance(bounding_boxes, dict) or "boxes" not in bounding_boxes:
        raise ValueError(f"{_owner(layer)}: 'bounding_boxes' must be a dict with 'boxes' and "
                         f"'labels'. Received: {type(bounding_boxes).__name__}")
    batch = {k: _batched(v, single) if k in ("boxes", "labels") else v
             for k, v in bounding_boxes.items()}
    out = layer.transform_bounding_boxes(batch, transformation, training)
    return {k: v[0] if single and k in ("boxes", "labels") else v for k, v in out.items()}


def call_on_dict(layer, data, training):
    """Runs ``layer`` on a dict of images and their boxes, masks and labels."""
    if "images" not in data:
        raise ValueError(f"{_owner(layer)}: a dict input needs an 'images' entry (and may "
                         "hold 'bounding_boxes', 'segmentation_masks' and 'labels'). "
                         f"Received keys: {sorted(data)}")
    images = ops.convert_to_tensor(data["images"])
    shape = tuple(ops.shape(images))
    layer._check_rank(shape)
    single = len(shape) == 3
    x = _to_batch(layer, images, single)
    if "float" not in ops.dtype(x):
        x = ops.cast(x, layer.dtype)
    geometric = hasattr(layer, "get_random_transformation") and \
        not getattr(layer, "boxes_unchanged", False)
    if ("bounding_boxes" in data or "segmentation_masks" in data) and not supports_boxes(layer):
        raise NotImplementedError(f"{_owner(layer)} does not transform bounding boxes or "
                                  "segmentation masks yet; pass only 'images' (and 'labels').")
    transformation = layer.get_random_transformation(x, bool(training)) if geometric else None
    out = layer.transform_images(x, transformation, bool(training)) if geometric \
        else layer.transform(x, bool(training))
    result = dict(data)
    result["images"] = _from_batch(layer, out, single)
    if "labels" in data and hasattr(layer, "transform_labels"):
        labels = layer.transform_labels(_batched(data["labels"], single), transformation,
                                        bool(training))
        result["labels"] = labels[0] if single else labels
    if "bounding_boxes" in data and geometric and hasattr(layer, "transform_bounding_boxes"):
        result["bounding_boxes"] = _own_boxes(layer, data["bounding_boxes"], transformation,
                                              bool(training), single)
    elif "bounding_boxes" in data and geometric:
        result["bounding_boxes"] = _move_boxes(
            layer, data["bounding_boxes"], transformation, (x.shape[1], x.shape[2]),
            (out.shape[1], out.shape[2]), bool(training), single)
    if "segmentation_masks" in data and geometric:
        masks = _to_batch(layer, ops.convert_to_tensor(data["segmentation_masks"]), single)
        move = getattr(layer, "transform_segmentation_masks", layer.transform_images)
        result["segmentation_masks"] = _from_batch(
            layer, move(ops.cast(masks, layer.dtype), transformation, bool(training)), single)
    return result


def _move_boxes(layer, bounding_boxes, transformation, in_size, out_size, training, single):
    if not isinstance(bounding_boxes, dict) or "boxes" not in bounding_boxes:
        raise ValueError(f"{_owner(layer)}: 'bounding_boxes' must be a dict with 'boxes' and "
                         f"'labels'. Received: {type(bounding_boxes).__name__}")
    if not layer.bounding_box_format:
        raise ValueError("You passed an input with a 'bounding_boxes' key, but you didn't "
                         "specify a bounding box format. Pass a `bounding_box_format` "
                         f"argument to your {type(layer).__name__} layer, e.g. "
                         "`bounding_box_format='xyxy'`.")
    fmt = layer.bounding_box_format
    boxes = ops.convert_to_tensor(bounding_boxes["boxes"])
    expected = 2 if single else 3
    if len(ops.shape(boxes)) != expected or ops.shape(boxes)[-1] != 4:
        raise ValueError(f"{_owner(layer)}: bounding_boxes['boxes'] must have shape "
                         f"{'(N, 4)' if single else '(batch, N, 4)'} for "
                         f"{'one image' if single else 'a batch of images'}. Received: "
                         f"{tuple(ops.shape(boxes))}")
    boxes = ops.expand_dims(boxes, 0) if single else boxes
    corners = convert_format(boxes, fmt, "xyxy", height=in_size[0], width=in_size[1])
    moved = layer.transform_box_corners(corners, transformation, in_size, training)
    if moved is None:
        return dict(bounding_boxes)
    labels = bounding_boxes.get("labels")
    if labels is not None:
        labels = ops.convert_to_tensor(labels)
        labels = ops.expand_dims(labels, 0) if single else labels
    clipped = clip_to_image_size({"boxes": moved, "labels": labels}, height=out_size[0],
                                 width=out_size[1])
    result = dict(bounding_boxes)
    boxes = convert_format(clipped["boxes"], "xyxy", fmt, height=out_size[0], width=out_size[1])
    result["boxes"] = boxes[0] if single else boxes
    if labels is not None:
        result["labels"] = clipped["labels"][0] if single else clipped["labels"]
    return result


def window_boxes(boxes, top, left, window_size, out_size):
    """Boxes moved from the input into an output showing the window of ``window_size`` at
    (top, left) of the input, scaled to ``out_size`` (a negative offset is padding)."""
    sx = out_size[1] / window_size[1]
    sy = out_size[0] / window_size[0]
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    return ops.concatenate([(x1 - left) * sx, (y1 - top) * sy, (x2 - left) * sx,
                            (y2 - top) * sy], axis=-1)


def resize_window(in_size, out_size, crop_to_aspect_ratio=False, pad_to_aspect_ratio=False):
    """(top, left, height, width): the part of the input that ``ops.image.resize`` maps onto
    the output, for its crop and pad modes (negative offsets: padding)."""
    (h, w), (new_h, new_w) = in_size, out_size
    if crop_to_aspect_ratio:
        crop_h = min(h, int(round(w * new_h / new_w)))
        crop_w = min(w, int(round(h * new_w / new_h)))
        return (h - crop_h) // 2, (w - crop_w) // 2, crop_h, crop_w
    if pad_to_aspect_ratio:
        pad_h = max(h, int(round(w * new_h / new_w)))
        pad_w = max(w, int(round(h * new_w / new_h)))
        return -((pad_h - h) // 2), -((pad_w - w) // 2), pad_h, pad_w
    return 0, 0, h, w


def affine_boxes(boxes, transform):
    """Boxes moved by an image warp given as (B, 8) output-to-input transforms (see
    ``ops.image.affine_transform``; the projective terms must be 0): each box's corners go
    through the inverse map, and the result is their enclosing box."""
    a0, a1, a2, b0, b1, b2 = (ops.reshape(transform[:, i], (-1, 1, 1)) for i in range(6))
    det = a0 * b1 - a1 * b0
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    xs = ops.concatenate([x1, x2, x2, x1], axis=-1) - a2
    ys = ops.concatenate([y1, y1, y2, y2], axis=-1) - b2
    out_x = (b1 * xs - a1 * ys) / det
    out_y = (a0 * ys - b0 * xs) / det
    return ops.stack([ops.min(out_x, axis=-1), ops.min(out_y, axis=-1),
                      ops.max(out_x, axis=-1), ops.max(out_y, axis=-1)], axis=-1)
