"""One custom ``train_step`` and one custom training loop, unchanged on every engine.

Keras 3 asks for a different train_step per backend (GradientTape, torch autograd,
jax.grad). kfront has one gradient API, ``kfront.backend.value_and_grad``.

    KFRONT_BACKEND=jax python examples/custom_train_step.py
"""
import numpy as np

import kfront as keras
from kfront import layers, ops


class GradientClippedModel(keras.Model):
    """A train_step override: clips each gradient to [-1, 1] before the update."""

    def train_step(self, data):
        x, y = data
        variables = self.trainable_variables

        def loss_fn():
            y_pred = self(x, training=True)
            return self.compute_loss(x, y, y_pred), y_pred

        (loss, y_pred), grads = keras.backend.value_and_grad(loss_fn, variables, has_aux=True)
        self.optimizer.apply([ops.clip(g, -1.0, 1.0) for g in grads], variables)
        self._loss_tracker.update_state(loss)
        return self.compute_metrics(x, y, y_pred)


keras.utils.set_random_seed(11)
(x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
x_train = x_train.reshape(-1, 64).astype("float32") / 16.0
x_test = x_test.reshape(-1, 64).astype("float32") / 16.0

inputs = keras.Input(shape=(64,))
hidden = layers.Dense(64, activation="relu")(inputs)
model = GradientClippedModel(inputs, layers.Dense(10, activation="softmax")(hidden))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=15, batch_size=32, verbose=0)
_, accuracy = model.evaluate(x_test, y_test, verbose=0)

# The same, as a hand-written loop: ops, value_and_grad and an optimizer.
mlp = keras.Sequential([keras.Input(shape=(64,)), layers.Dense(64, activation="relu"),
                        layers.Dense(10)])
optimizer = keras.optimizers.Adam(1e-3)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
rng = np.random.default_rng(0)
for epoch in range(15):
    order = rng.permutation(len(x_train))
    for start in range(0, len(order), 32):
        idx = order[start:start + 32]
        xb, yb = x_train[idx], y_train[idx]
        loss, grads = keras.backend.value_and_grad(lambda: loss_fn(yb, mlp(xb, training=True)),
                                                   mlp.trainable_variables)
        optimizer.apply(grads, mlp.trainable_variables)
predictions = ops.convert_to_numpy(ops.argmax(mlp(x_test), axis=-1))
loop_accuracy = float(np.mean(predictions == y_test))
print(f"backend={keras.backend.backend()} test_accuracy={accuracy:.4f} "
      f"loop_accuracy={loop_accuracy:.4f}")
