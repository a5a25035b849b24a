"""``SwapEMAWeights``: evaluate (and predict) with the optimizer's moving-average weights."""
from kfront.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Swaps the model's weights with the EMA copies of an optimizer built with
    ``use_ema=True`` for the duration of ``evaluate``/``predict`` (and validation), then
    swaps them back so training continues from the raw weights.

    Args:
        swap_on_epoch: also swap at the end of each epoch and back at the start of the
            next, so epoch-end callbacks (``ModelCheckpoint``) see the averaged weights.

    >>> model.compile(optimizer=kfront.optimizers.SGD(use_ema=True), loss="mse")
    >>> model.fit(x, y, callbacks=[SwapEMAWeights(swap_on_epoch=True)])
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = bool(swap_on_epoch)
        self._ema_weights_in_model = False

    def _optimizer(self):
        optimizer = self.model.optimizer
        # A LossScaleOptimizer keeps the averages in the optimizer it wraps.
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if not getattr(optimizer, "use_ema", False):
            raise ValueError("SwapEMAWeights must be used when `use_ema=True` is set on the "
                             f"optimizer. Received: use_ema="
                             f"{getattr(optimizer, 'use_ema', None)}")
        return optimizer

    def _pairs(self):
        optimizer = self._optimizer()
        return list(zip(optimizer._built_variables, optimizer._averages))

    def _swap(self):
        for var, average in self._pairs():
            # A host copy: on torch the value would be overwritten by the next assign.
            current = var.numpy()
            var.assign(average.value)
            average.assign(current)
        self._ema_weights_in_model = not self._ema_weights_in_model

    def _keep_averages(self):
        # The model holds the averages at the end of fit, and finalize_variable_values
        # then copies the optimizer's copies in: make those the averages too.
        for var, average in self._pairs():
            average.assign(var.value)

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap()

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap()
            if self.params and epoch == self.params.get("epochs", 0) - 1:
                self._keep_averages()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap()

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap()

    def on_predict_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap()

    def on_predict_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap()
