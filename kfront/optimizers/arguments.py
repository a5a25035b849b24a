"""Checks of the arguments every optimizer takes, with Keras 3's rules and messages."""


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_base_arguments(cls_name, weight_decay, clipnorm, clipvalue, global_clipnorm,
                         use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor,
                         gradient_accumulation_steps):
    """Raises ValueError naming the first invalid argument of ``Optimizer.__init__``."""
    for arg, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                       ("global_clipnorm", global_clipnorm)):
        if value is not None and (not _is_number(value) or value < 0):
            raise ValueError(f"{cls_name}: `{arg}` must be a number >= 0, received "
                             f"{value!r}.")
    if sum(v is not None for v in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(f"{cls_name}: only one of `clipnorm`, `clipvalue` and "
                         f"`global_clipnorm` can be set. Received: clipnorm={clipnorm}, "
                         f"clipvalue={clipvalue}, global_clipnorm={global_clipnorm}.")
    if weight_decay is not None and (not _is_number(weight_decay) or weight_decay < 0):
        raise ValueError(f"{cls_name}: `weight_decay` must be a number >= 0, received "
                         f"{weight_decay!r}.")
    if use_ema:
        if not _is_number(ema_momentum) or not 0 <= ema_momentum <= 1:
            raise ValueError(f"{cls_name}: `ema_momentum` must be in the range [0, 1]. "
                             f"Received: ema_momentum={ema_momentum!r}")
        if ema_overwrite_frequency is not None and (
                isinstance(ema_overwrite_frequency, bool)
                or not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1):
            raise ValueError(f"{cls_name}: `ema_overwrite_frequency` must be an integer >= 1 "
                             f"or None. Received: ema_overwrite_frequency="
                             f"{ema_overwrite_frequency!r}")
    if gradient_accumulation_steps is not None and (
            isinstance(gradient_accumulation_steps, bool)
            or not isinstance(gradient_accumulation_steps, int)
            or gradient_accumulation_steps < 2):
        raise ValueError(f"{cls_name}: `gradient_accumulation_steps` must be an integer >= 2. "
                         f"Received: gradient_accumulation_steps="
                         f"{gradient_accumulation_steps!r}")
    if loss_scale_factor is not None and (not _is_number(loss_scale_factor)
                                          or not loss_scale_factor > 0):
        raise ValueError(f"{cls_name}: `loss_scale_factor` must be a number > 0 or None, "
                         f"received {loss_scale_factor!r}.")


def check_learning_rate(cls_name, learning_rate):
    if callable(learning_rate):
        return
    if not _is_number(learning_rate) or not learning_rate >= 0:
        raise ValueError(f"{cls_name}: `learning_rate` must be a non-negative number "
                         f"or a schedule (a callable), received {learning_rate!r}.")


def check_unit_interval(cls_name, **values):
    """Each of ``values`` (a hyperparameter such as ``beta_1``) is a number in [0, 1]."""
    for arg, value in values.items():
        if not _is_number(value) or not 0 <= value <= 1:
            raise ValueError(f"{cls_name}: `{arg}` must be a number in [0, 1], received "
                             f"{value!r}.")


def check_non_negative(cls_name, **values):
    for arg, value in values.items():
        if not _is_number(value) or not value >= 0:
            raise ValueError(f"{cls_name}: `{arg}` must be a number >= 0, received "
                             f"{value!r}.")
