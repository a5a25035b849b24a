"""The rest of keras.ops.nn on torch: CTC loss on ``F.ctc_loss`` and ``polar``."""
import torch
import torch.nn.functional as F

from kfront.backend.contract import NN_EXTRA_OPS
from kfront.backends.torch.core import as_tensor, floatx_dtype

__all__ = list(NN_EXTRA_OPS)  # the contract's family, in its order

_HALF = (torch.float16, torch.bfloat16)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Per-sample CTC loss of logits ``output`` (batch, steps, classes) against padded
    integer ``target`` (batch, max_label_length); ``mask_index`` is the blank class."""
    output = as_tensor(output)
    if not output.is_floating_point():
        output = output.to(floatx_dtype())
    if output.dtype in _HALF:
        # As tf.nn.ctc_loss: half precision computes and returns float32.
        output = output.float()
    classes = output.shape[-1]
    log_probs = F.log_softmax(output.transpose(0, 1), dim=-1)
    return F.ctc_loss(log_probs, as_tensor(target).long(), as_tensor(output_length).long(),
                      as_tensor(target_length).long(), blank=int(mask_index) % classes,
                      reduction="none", zero_infinity=False)


def _float(x):
    x = as_tensor(x)
    return x if x.is_floating_point() else x.to(floatx_dtype())


def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + 1j * sin(angle))``."""
    abs_, angle = _float(abs_), _float(angle)
    dtype = torch.promote_types(abs_.dtype, angle.dtype)
    if dtype in _HALF:
        dtype = torch.float32
    abs_, angle = torch.broadcast_tensors(abs_.to(dtype), angle.to(dtype))
    return torch.polar(abs_, angle)
