"""A GAN as the Keras example writes it: ``compile(d_optimizer, g_optimizer, loss_fn)``
overridden, two optimizers stepped in one custom ``train_step`` fed by ``fit(x)``."""
import numpy as np

import kfront as keras
from kfront import layers, ops

LATENT = 4


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def train_step(self, real):
        batch_size = ops.shape(real)[0]
        noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        fake = self.generator(noise)
        combined = ops.concatenate([fake, real], axis=0)
        labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], 0)

        d_weights = self.discriminator.trainable_weights
        d_loss, grads = keras.backend.value_and_grad(
            lambda: self.loss_fn(labels, self.discriminator(combined)), d_weights)
        self.d_optimizer.apply_gradients(zip(grads, d_weights))

        noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        misleading = ops.zeros((batch_size, 1))
        g_weights = self.generator.trainable_weights
        g_loss, grads = keras.backend.value_and_grad(
            lambda: self.loss_fn(misleading, self.discriminator(self.generator(noise))),
            g_weights)
        self.g_optimizer.apply_gradients(zip(grads, g_weights))
        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}


def test_gan_steps_both_players():
    rng = np.random.default_rng(0)
    real = (rng.normal(size=(128, 2)) * 0.1 + [2.0, -1.0]).astype("float32")
    discriminator = keras.Sequential([keras.Input((2,)), layers.Dense(8, activation="relu"),
                                      layers.Dense(1)], name="discriminator")
    generator = keras.Sequential([keras.Input((LATENT,)), layers.Dense(8, activation="relu"),
                                  layers.Dense(2)], name="generator")
    gan = GAN(discriminator, generator, LATENT)
    gan.compile(keras.optimizers.Adam(0.01), keras.optimizers.Adam(0.01),
                keras.losses.BinaryCrossentropy(from_logits=True))
    g_before = [w.copy() for w in generator.get_weights()]
    d_before = [w.copy() for w in discriminator.get_weights()]
    history = gan.fit(real, epochs=8, batch_size=32, verbose=0).history
    assert set(history) == {"d_loss", "g_loss"}
    assert all(np.isfinite(history["d_loss"])) and all(np.isfinite(history["g_loss"]))
    # Both players moved, each with its own optimizer.
    assert not np.allclose(generator.get_weights()[0], g_before[0])
    assert not np.allclose(discriminator.get_weights()[0], d_before[0])
    assert gan.d_optimizer.iterations.numpy() == gan.g_optimizer.iterations.numpy() == 32
    # The generator learned to move its samples towards the real cluster.
    fake = generator.predict(rng.normal(size=(256, LATENT)).astype("float32"), verbose=0)
    start = keras.Sequential([keras.Input((LATENT,)), layers.Dense(8, activation="relu"),
                              layers.Dense(2)])
    start.set_weights(g_before)
    fake_before = start.predict(rng.normal(size=(256, LATENT)).astype("float32"), verbose=0)
    target = np.array([2.0, -1.0])
    assert np.linalg.norm(fake.mean(0) - target) < np.linalg.norm(fake_before.mean(0) - target)
