"""A character-level seq2seq LSTM as the Keras example writes it: inference models rebuilt
from ``model.input[0]``, ``model.layers[2].output`` and ``model.layers[3]``, with one-hot
inputs."""
import numpy as np

import kfront as keras
from kfront import layers

TOKENS, UNITS, STEPS = 5, 16, 4


def make_data(n=96):
    rng = np.random.default_rng(0)
    seqs = rng.integers(1, TOKENS, size=(n, STEPS))
    enc = np.eye(TOKENS, dtype="float32")[seqs]
    target = seqs[:, ::-1]  # learn to reverse the sequence
    dec_in = np.eye(TOKENS, dtype="float32")[np.concatenate(
        [np.zeros((n, 1), int), target[:, :-1]], 1)]  # token 0 starts a sequence
    dec_out = np.eye(TOKENS, dtype="float32")[target]
    return enc, dec_in, dec_out, target


def train():
    encoder_inputs = keras.Input(shape=(None, TOKENS))
    encoder = layers.LSTM(UNITS, return_state=True)
    _, state_h, state_c = encoder(encoder_inputs)
    decoder_inputs = keras.Input(shape=(None, TOKENS))
    decoder_lstm = layers.LSTM(UNITS, return_sequences=True, return_state=True)
    decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=[state_h, state_c])
    decoder_dense = layers.Dense(TOKENS, activation="softmax")
    model = keras.Model([encoder_inputs, decoder_inputs], decoder_dense(decoder_outputs))
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="categorical_crossentropy")
    enc, dec_in, dec_out, _ = make_data()
    history = model.fit([enc, dec_in], dec_out, batch_size=32, epochs=25, verbose=0).history
    return model, history


def inference_models(model):
    # As the example does it, from the trained model's graph.
    encoder_inputs = model.input[0]
    encoder_outputs, state_h_enc, state_c_enc = model.layers[2].output
    encoder_model = keras.Model(encoder_inputs, [state_h_enc, state_c_enc])
    decoder_inputs = model.input[1]
    state_h = keras.Input(shape=(UNITS,))
    state_c = keras.Input(shape=(UNITS,))
    decoder_lstm = model.layers[3]
    decoder_outputs, h, c = decoder_lstm(decoder_inputs, initial_state=[state_h, state_c])
    decoder_outputs = model.layers[4](decoder_outputs)
    decoder_model = keras.Model([decoder_inputs, state_h, state_c], [decoder_outputs, h, c])
    return encoder_model, decoder_model


def test_seq2seq_inference_models_from_the_trained_graph():
    model, history = train()
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer", "InputLayer", "LSTM", "LSTM", "Dense"]
    assert len(model.input) == 2 and model.output is model.outputs[0]
    encoder_model, decoder_model = inference_models(model)
    enc, dec_in, _, target = make_data()
    # Teacher-forced decoding through the inference models equals the training model.
    h, c = encoder_model.predict(enc, verbose=0)
    probs, _, _ = decoder_model.predict([dec_in, h, c], verbose=0)
    np.testing.assert_allclose(probs, model.predict([enc, dec_in], verbose=0), rtol=1e-4,
                               atol=1e-5)
    # Greedy decoding one step at a time, as the example's decode_sequence does.
    token = np.zeros((len(enc), 1, TOKENS), "float32")
    token[:, 0, 0] = 1.0
    decoded = []
    for _ in range(STEPS):
        out, h, c = decoder_model.predict([token, h, c], verbose=0)
        ids = out[:, -1].argmax(-1)
        decoded.append(ids)
        token = np.eye(TOKENS, dtype="float32")[ids][:, None]
    accuracy = (np.stack(decoded, 1) == target).mean()
    assert accuracy > 0.6
