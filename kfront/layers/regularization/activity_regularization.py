"""``ActivityRegularization``: passes inputs through and adds an L1/L2 penalty on them."""
from kfront import ops, regularizers
from kfront.layers.layer import Layer
from kfront.layers.regularization._shapes import batch_size


class ActivityRegularization(Layer):
    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)
        super().__init__(**kwargs)
        self.l1 = l1
        self.l2 = l2
        self.activity_regularizer = regularizers.L1L2(l1=l1, l2=l2)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        penalty = self.activity_regularizer(inputs)
        if len(ops.shape(inputs)) > 0:
            # Divided by the batch size, as Keras 3 does, so the strength is per example.
            penalty = penalty / ops.cast(batch_size(inputs), ops.dtype(inputs))
        self.add_loss(penalty)
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "l1": self.l1, "l2": self.l2}
