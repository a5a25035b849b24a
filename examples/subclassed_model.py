"""A subclassed Model with a custom layer and a custom loss, on the bundled digits.

    KFRONT_BACKEND=tensorflow python examples/subclassed_model.py
"""
import kfront as keras
from kfront import layers, ops


class Residual(keras.layers.Layer):
    """x + relu(x @ w + b): a custom layer with its own weights."""

    def build(self, input_shape):
        dim = input_shape[-1]
        self.w = self.add_weight(name="w", shape=(dim, dim), initializer="glorot_uniform")
        self.b = self.add_weight(name="b", shape=(dim,), initializer="zeros")

    def call(self, x):
        return x + ops.relu(ops.matmul(x, self.w) + self.b)


class SmoothedCrossentropy(keras.losses.Loss):
    """Sparse crossentropy with label smoothing: a custom Loss subclass."""

    def __init__(self, smoothing=0.1, **kwargs):
        super().__init__(**kwargs)
        self.smoothing = smoothing

    def call(self, y_true, y_pred):
        labels = ops.one_hot(ops.cast(ops.reshape(y_true, (-1,)), "int32"), 10)
        labels = labels * (1.0 - self.smoothing) + self.smoothing / 10.0
        return -ops.sum(labels * ops.log_softmax(y_pred), axis=-1)


class DigitClassifier(keras.Model):
    def __init__(self):
        super().__init__(name="digit_classifier")
        self.embed = layers.Dense(64, activation="relu")
        self.blocks = [Residual(), Residual()]
        self.dropout = layers.Dropout(0.1)
        self.head = layers.Dense(10)

    def call(self, x, training=None):
        x = self.embed(x)
        for block in self.blocks:
            x = block(x)
        return self.head(self.dropout(x, training=training))


keras.utils.set_random_seed(3)
(x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
x_train = x_train.reshape(-1, 64).astype("float32") / 16.0
x_test = x_test.reshape(-1, 64).astype("float32") / 16.0

model = DigitClassifier()
model.compile(optimizer=keras.optimizers.RMSprop(1e-3), loss=SmoothedCrossentropy(0.1),
              metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
model.fit(x_train, y_train, batch_size=32, epochs=20, verbose=0)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"backend={keras.backend.backend()} test_loss={loss:.4f} test_accuracy={accuracy:.4f}")
