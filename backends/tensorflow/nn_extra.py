"""The rest of keras.ops.nn on TensorFlow: CTC loss on ``tf.nn.ctc_loss`` and ``polar``."""
import tensorflow as tf

from kfront.backend.contract import NN_EXTRA_OPS
from kfront.backends.tensorflow.core import as_float, convert_to_tensor

__all__ = list(NN_EXTRA_OPS)  # the contract's family, in its order


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Per-sample CTC loss of logits ``output`` (batch, steps, classes) against padded
    integer ``target`` (batch, max_label_length); ``mask_index`` is the blank class."""
    output = as_float(output)
    result = tf.float64 if output.dtype == tf.float64 else tf.float32
    # tf.nn.ctc_loss computes half precision in float32 and refuses float64.
    loss = tf.nn.ctc_loss(
        labels=tf.cast(convert_to_tensor(target), tf.int32),
        logits=tf.cast(output, tf.float32),
        label_length=tf.cast(convert_to_tensor(target_length), tf.int32),
        logit_length=tf.cast(convert_to_tensor(output_length), tf.int32),
        blank_index=mask_index, logits_time_major=False)
    return tf.cast(loss, result)


def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + 1j * sin(angle))``."""
    abs_, angle = as_float(abs_), as_float(angle)
    dtype = tf.float64 if tf.float64 in (abs_.dtype, angle.dtype) else tf.float32
    abs_, angle = tf.cast(abs_, dtype), tf.cast(angle, dtype)
    return tf.complex(abs_ * tf.cos(angle), abs_ * tf.sin(angle))
