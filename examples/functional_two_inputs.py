"""A Functional model with two inputs and two outputs, trained on the bundled digits.

Input "pixels" sees the 8x8 image; input "stats" sees row and column sums. The model
predicts the digit (softmax) and whether it is even (sigmoid).

    KFRONT_BACKEND=torch python examples/functional_two_inputs.py
"""
import numpy as np

import kfront as keras
from kfront import layers

keras.utils.set_random_seed(7)
(x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()


def features(x):
    x = x.astype("float32") / 16.0
    stats = np.concatenate([x.sum(axis=1), x.sum(axis=2)], axis=1) / 8.0
    return {"pixels": x.reshape(-1, 64), "stats": stats}


pixels = keras.Input(shape=(64,), name="pixels")
stats = keras.Input(shape=(16,), name="stats")
h = layers.concatenate([layers.Dense(64, activation="relu")(pixels),
                        layers.Dense(16, activation="relu")(stats)])
h = layers.Dense(64, activation="relu")(h)
digit = layers.Dense(10, activation="softmax", name="digit")(h)
even = layers.Dense(1, activation="sigmoid", name="even")(h)
model = keras.Model(inputs={"pixels": pixels, "stats": stats},
                    outputs={"digit": digit, "even": even})

model.compile(optimizer=keras.optimizers.Adam(1e-3),
              loss={"digit": "sparse_categorical_crossentropy", "even": "binary_crossentropy"},
              loss_weights={"digit": 1.0, "even": 0.5},
              metrics={"digit": ["accuracy"], "even": ["accuracy"]})
targets = {"digit": y_train, "even": (y_train % 2 == 0).astype("float32")}
model.fit(features(x_train), targets, batch_size=32, epochs=25, verbose=0)
results = model.evaluate(features(x_test), {"digit": y_test,
                                            "even": (y_test % 2 == 0).astype("float32")},
                         verbose=0, return_dict=True)
print(f"backend={keras.backend.backend()} test_accuracy={results['digit_accuracy']:.4f} "
      f"even_accuracy={results['even_accuracy']:.4f}")
