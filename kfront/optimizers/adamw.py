"""``AdamW``: Adam with decoupled weight decay on by default."""
from kfront.optimizers.adam import Adam


class AdamW(Adam):
    """Adam whose ``weight_decay`` (default 0.004) shrinks each weight by
    ``weight * weight_decay * learning_rate`` before the Adam step (Loshchilov & Hutter).

    Args:
        learning_rate, beta_1, beta_2, epsilon, amsgrad: as in ``Adam``.
        weight_decay: a number >= 0; required.
    """

    # The rule itself is Adam's (decay is applied by the base class), so Adam's fused
    # kernel computes it exactly.
    _kernel_key = "adam"

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, name="adamw", **kwargs):
        if weight_decay is None:
            raise ValueError("AdamW: argument `weight_decay` must be a float. Received: "
                             "weight_decay=None")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, name=name,
                         weight_decay=weight_decay, **kwargs)
