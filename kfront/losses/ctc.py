"""CTC (Connectionist Temporal Classification) loss, for unaligned sequence labels."""
from kfront import ops
from kfront.losses.losses import _BuiltinLoss

# Keras's CTC loss reserves class 0 for the blank, which also pads the labels.
MASK_INDEX = 0


def ctc(y_true, y_pred):
    """Per-sample CTC loss of logits ``y_pred`` against padded integer labels ``y_true``.

    Args:
        y_true: ``(batch, max_label_length)`` integer labels; 0 is the blank and pads the
            labels, so a label's length is its count of nonzero entries.
        y_pred: ``(batch, steps, classes)`` logits (not softmax probabilities); every step
            counts.

    Example:
        >>> kfront.losses.ctc([[1, 2, 0]], np.zeros((1, 4, 3)))   # one loss per sample
    """
    true_rank, pred_rank = len(ops.shape(y_true)), len(ops.shape(y_pred))
    if true_rank != 2:
        raise ValueError("ctc: targets `y_true` are expected to be a tensor of shape "
                         "`(batch_size, max_length)` in integer format. Received: "
                         f"y_true.shape={tuple(ops.shape(y_true))}")
    if pred_rank != 3:
        raise ValueError("ctc: logits `y_pred` are expected to be a tensor of shape "
                         "`(batch_size, max_length, num_classes)`. Received: "
                         f"y_pred.shape={tuple(ops.shape(y_pred))}")
    y_true = ops.cast(y_true, "int32")
    label_length = ops.sum(ops.cast(ops.not_equal(y_true, MASK_INDEX), "int32"), axis=-1)
    steps = ops.shape(y_pred)[1]
    output_length = ops.full_like(label_length, steps)
    return ops.ctc_loss(y_true, y_pred, label_length, output_length, mask_index=MASK_INDEX)


FUNCTIONS = {"ctc": ctc}


class CTC(_BuiltinLoss):
    """CTC loss of logits against padded integer labels (0 is the blank), see ``ctc``.

    Example:
        >>> model.compile(optimizer="adam", loss=kfront.losses.CTC())
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)
