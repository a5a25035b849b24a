"""``fit(class_weight=...)``: checking the mapping before any data is read."""
import math
import numbers

from kfront.utils import tree


def validate_class_weight(class_weight, y=None):
    """Refuses a ``class_weight`` that is not ``{class index: weight}``, or one given for
    a model trained on several targets."""
    if class_weight is None:
        return None
    if not isinstance(class_weight, dict):
        raise ValueError("`class_weight` must be a dict mapping class indices (integers) to "
                         f"weights; received a {type(class_weight).__name__}.")
    bad_keys = [k for k in class_weight if isinstance(k, bool) or
                not isinstance(k, numbers.Integral) or k < 0]
    if bad_keys:
        raise ValueError(f"`class_weight` keys must be class indices (integers >= 0); "
                         f"received the key(s) {bad_keys!r}.")
    bad_values = {k: v for k, v in class_weight.items()
                  if isinstance(v, bool) or not isinstance(v, numbers.Real) or
                  not math.isfinite(v) or v < 0}
    if bad_values:
        raise ValueError("`class_weight` values must be finite numbers >= 0; received "
                         f"{bad_values!r}.")
    if y is not None and tree.is_nested(y) and len(tree.flatten(y)) > 1:
        raise ValueError("`class_weight` is only supported for models with a single output; "
                         "pass `sample_weight` per output instead.")
    return {int(k): float(v) for k, v in class_weight.items()}
