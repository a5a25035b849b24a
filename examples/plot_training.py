"""Train a small convnet on the digits, then draw its training curves and its layer graph.

    KFRONT_BACKEND=torch python examples/plot_training.py [output folder]

Writes history.png (loss and accuracy, training and validation), model.png (the layer
graph; Graphviz draws it where installed, matplotlib otherwise) and training.csv.
Needs matplotlib (and pydot for Graphviz): pip install "kfront[plot]".
"""
import os
import sys
import warnings

import kfront as keras
from kfront import layers

out_dir = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out_dir, exist_ok=True)
keras.utils.set_random_seed(7)
(x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
x_train = x_train.reshape(-1, 8, 8, 1).astype("float32") / 16.0
x_test = x_test.reshape(-1, 8, 8, 1).astype("float32") / 16.0

inputs = keras.Input(shape=(8, 8, 1), name="digit")
x = layers.Conv2D(16, 3, padding="same", activation="relu", name="conv")(inputs)
x = layers.MaxPooling2D(name="pool")(x)
x = layers.Flatten(name="flatten")(x)
x = layers.Dense(64, activation="relu", name="hidden")(x)
outputs = layers.Dense(10, activation="softmax", name="class")(x)
model = keras.Model(inputs, outputs, name="digits_convnet")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

csv_path = os.path.join(out_dir, "training.csv")
history = model.fit(x_train, y_train, batch_size=32, epochs=12, validation_split=0.15,
                    verbose=0, callbacks=[keras.callbacks.CSVLogger(csv_path)])
keras.utils.plot_history(history, path=os.path.join(out_dir, "history.png"))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")          # the notice when Graphviz is not installed
    keras.utils.plot_model(model, to_file=os.path.join(out_dir, "model.png"),
                           show_shapes=True, show_layer_names=True,
                           show_layer_activations=True)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"backend={keras.backend.backend()} test_accuracy={accuracy:.4f} "
      f"epochs={len(history.history['loss'])} out={out_dir}")
