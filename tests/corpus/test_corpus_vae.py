"""A variational autoencoder as the Keras example writes it: ``VAE(encoder, decoder)``
(two positional constructor arguments), a custom ``train_step`` that receives ``x`` from
``fit(x)`` with no ``y``, loss trackers listed in ``metrics``, and noise drawn with the
batch size read from ``ops.shape``."""
import numpy as np

import kfront as keras
from kfront import layers, ops

LATENT = 2


class Sampling(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


def make_encoder():
    inputs = keras.Input(shape=(8,))
    x = layers.Dense(16, activation="relu")(inputs)
    z_mean = layers.Dense(LATENT, name="z_mean")(x)
    z_log_var = layers.Dense(LATENT, name="z_log_var")(x)
    z = Sampling()([z_mean, z_log_var])
    return keras.Model(inputs, [z_mean, z_log_var, z], name="encoder")


def make_decoder():
    latent = keras.Input(shape=(LATENT,))
    x = layers.Dense(16, activation="relu")(latent)
    return keras.Model(latent, layers.Dense(8, activation="sigmoid")(x), name="decoder")


class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.reconstruction_loss_tracker,
                self.kl_loss_tracker]

    def losses_of(self, data):
        z_mean, z_log_var, z = self.encoder(data)
        reconstruction = self.decoder(z)
        reconstruction_loss = ops.mean(ops.sum(
            keras.losses.binary_crossentropy(data[..., None], reconstruction[..., None]),
            axis=1))
        kl = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
        kl_loss = ops.mean(ops.sum(kl, axis=1))
        return reconstruction_loss + kl_loss, (reconstruction_loss, kl_loss)

    def train_step(self, data):
        assert not isinstance(data, tuple), "fit(x) hands train_step x itself"
        (total, (rec, kl)), grads = keras.backend.value_and_grad(
            lambda: self.losses_of(data), self.trainable_weights, has_aux=True)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(total)
        self.reconstruction_loss_tracker.update_state(rec)
        self.kl_loss_tracker.update_state(kl)
        return {m.name: m.result() for m in self.metrics}


def test_vae_trains_and_its_loss_falls():
    rng = np.random.default_rng(0)
    # Two clusters of binary-ish patterns: learnable with a 2-d latent space.
    base = (rng.random((2, 8)) > 0.5).astype("float32")
    # 250 samples: the last batch is smaller, and `ops.shape(z_mean)[0]` gives its size.
    data = np.clip(base[rng.integers(0, 2, 250)] + rng.normal(0, 0.05, (250, 8)), 0, 1)
    data = data.astype("float32")
    vae = VAE(make_encoder(), make_decoder())
    assert type(vae) is VAE
    vae.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01))
    history = vae.fit(data, epochs=6, batch_size=32, verbose=0).history
    assert set(history) == {"total_loss", "reconstruction_loss", "kl_loss"}
    assert history["total_loss"][-1] < 0.75 * history["total_loss"][0]
    # The step's loss agrees with the same loss computed outside fit (kl has no noise).
    z_mean, z_log_var, _ = vae.encoder.predict(data, verbose=0)
    kl = -0.5 * (1 + z_log_var - z_mean ** 2 - np.exp(z_log_var))
    np.testing.assert_allclose(
        float(ops.convert_to_numpy(vae.losses_of(ops.convert_to_tensor(data))[1][1])),
        kl.sum(1).mean(), rtol=1e-4)
