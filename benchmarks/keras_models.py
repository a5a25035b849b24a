"""The workload models written once against Keras 3's public names.

``keras`` is the module the model is built with: ``kfront`` or the real ``keras``.
"""
import workloads as W


def _encoder_block(keras, h):
    L = keras.layers
    a = L.MultiHeadAttention(num_heads=W.HEADS, key_dim=W.D_MODEL // W.HEADS)(h, h)
    h = L.LayerNormalization()(L.Add()([h, a]))
    f = L.Dense(W.D_MODEL)(L.Dense(W.FFN, activation="relu")(h))
    return L.LayerNormalization()(L.Add()([h, f]))


def build(keras, name):
    L = keras.layers
    if name in W.MLP_LIKE:
        return keras.Sequential([keras.Input((784,)), L.Dense(512, activation="relu"),
                                 L.Dense(256, activation="relu"), L.Dense(10)])
    if name == "convnet":
        return keras.Sequential([
            keras.Input((28, 28, 1)),
            L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
            L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(2),
            L.Flatten(), L.Dense(128, activation="relu"), L.Dense(10)])
    if name == "lstm":
        return keras.Sequential([keras.Input((100,), dtype="int32"),
                                 L.Embedding(W.VOCAB, W.EMBED), L.LSTM(W.LSTM_UNITS), L.Dense(2)])
    inp = keras.Input((64, W.D_MODEL))
    h = inp
    for _ in range(W.BLOCKS):
        h = _encoder_block(keras, h)
    return keras.Model(inp, L.Dense(10)(keras.ops.mean(h, axis=1)))


def compile_model(keras, model, **options):
    """Adam and sparse cross-entropy from logits; ``options`` go to ``compile`` as they are
    (``jit_compile=True`` for kfront-compiled)."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=W.LEARNING_RATE),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), **options)
