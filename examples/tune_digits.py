"""Tune the digits MLP (width, dropout, learning rate) with kfront.tuners, then train the
best setting and print it with its test accuracy.

    KFRONT_BACKEND=jax python examples/tune_digits.py [folder for the study]

Needs Optuna: pip install "kfront[tune]". The study lives in the folder (tune_digits/ by
default): run the script again and it resumes; run it in two shells and they share it.
"""
import sys

import kfront as keras
from kfront import layers, tuners

keras.utils.set_random_seed(0)
(x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
x_train = x_train.reshape(-1, 64).astype("float32") / 16.0
x_test = x_test.reshape(-1, 64).astype("float32") / 16.0


def build_model(hp):
    model = keras.Sequential([keras.Input((64,))])
    model.add(layers.Dense(hp.Int("units", 16, 128, step=16), activation="relu"))
    if hp.Boolean("dropout"):
        model.add(layers.Dropout(0.2))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer=keras.optimizers.Adam(hp.Float("learning_rate", 1e-4, 3e-2,
                                                           sampling="log")),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


tuner = tuners.RandomSearch(build_model, objective="val_accuracy", max_trials=6, seed=1,
                            directory=sys.argv[1] if len(sys.argv) > 1 else "tune_digits",
                            project_name="mlp", overwrite=True)
tuner.search_space_summary()
tuner.search(x_train, y_train, epochs=6, batch_size=32, validation_split=0.2, verbose=0)
best = tuner.get_best_hyperparameters()[0]
model = build_model(best)
model.fit(x_train, y_train, epochs=15, batch_size=32, verbose=0)
_, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"backend={keras.backend.backend()} test_accuracy={accuracy:.4f} "
      f"units={best['units']} dropout={best['dropout']} "
      f"learning_rate={best['learning_rate']:.3g}")
