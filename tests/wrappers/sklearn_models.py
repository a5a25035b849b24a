"""Tiny model builders shared by the scikit-learn wrapper tests."""

FIT = {"epochs": 40, "batch_size": 32, "verbose": 0}


def build_classifier(X, y, units=16, learning_rate=0.05):
    """A one-hidden-layer softmax classifier sized from the encoded data."""
    import kfront as keras
    model = keras.Sequential([
        keras.Input((X.shape[1],)),
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(y.shape[1], activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="categorical_crossentropy")
    return model


def build_regressor(X, y, units=16):
    """A small MLP regressor with one output per target column."""
    import kfront as keras
    outputs = 1 if y.ndim == 1 else y.shape[1]
    model = keras.Sequential([
        keras.Input((X.shape[1],)),
        keras.layers.Dense(units, activation="tanh"),
        keras.layers.Dense(outputs),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    return model
