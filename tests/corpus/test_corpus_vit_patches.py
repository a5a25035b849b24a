"""ViT-style patching as image-classification examples write it: patches made with
``ops.reshape(x, (ops.shape(x)[0], -1, d))`` for any batch size, trained with a last batch
smaller than the others (TensorFlow then traces the batch size as unknown)."""
import numpy as np

import kfront as keras
from kfront import layers, ops

SIZE, PATCH, CHANNELS = 8, 4, 3
NUM_PATCHES, PATCH_DIM = (SIZE // PATCH) ** 2, PATCH * PATCH * CHANNELS


class Patches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, images):
        batch_size = ops.shape(images)[0]
        height, width, channels = images.shape[1], images.shape[2], images.shape[3]
        p = self.patch_size
        x = ops.reshape(images, (batch_size, height // p, p, width // p, p, channels))
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))
        return ops.reshape(x, (batch_size, -1, p * p * channels))


class PatchEncoder(layers.Layer):
    def __init__(self, num_patches, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.num_patches = num_patches
        self.projection = layers.Dense(units=projection_dim)
        self.position_embedding = layers.Embedding(input_dim=num_patches,
                                                   output_dim=projection_dim)

    def call(self, patch):
        positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), 0)
        return self.projection(patch) + self.position_embedding(positions)


def numpy_patches(images):
    b = images.shape[0]
    x = images.reshape(b, SIZE // PATCH, PATCH, SIZE // PATCH, PATCH, CHANNELS)
    return x.transpose(0, 1, 3, 2, 4, 5).reshape(b, -1, PATCH_DIM)


def test_patches_match_numpy_for_any_batch():
    images = np.random.default_rng(0).random((5, SIZE, SIZE, CHANNELS)).astype("float32")
    patches = Patches(PATCH)
    for n in (5, 2):
        np.testing.assert_array_equal(ops.convert_to_numpy(patches(images[:n])),
                                      numpy_patches(images[:n]))
    inputs = keras.Input((SIZE, SIZE, CHANNELS))
    assert Patches(PATCH)(inputs).shape == (None, NUM_PATCHES, PATCH_DIM)


def test_vit_like_model_trains_with_uneven_batches():
    rng = np.random.default_rng(1)
    x = rng.random((70, SIZE, SIZE, CHANNELS)).astype("float32")
    y = (x[:, :SIZE // 2].mean((1, 2, 3)) > x[:, SIZE // 2:].mean((1, 2, 3))).astype("int32")
    inputs = keras.Input((SIZE, SIZE, CHANNELS))
    encoded = PatchEncoder(NUM_PATCHES, 8)(Patches(PATCH)(inputs))
    features = layers.Flatten()(layers.LayerNormalization(epsilon=1e-6)(encoded))
    model = keras.Model(inputs, layers.Dense(2)(features))
    model.compile(keras.optimizers.Adam(0.01),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=15, verbose=0).history  # 32, 32, 6
    assert history["loss"][-1] < 0.7 * history["loss"][0]
    assert model.predict(x[:3], verbose=0).shape == (3, 2)
    assert model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)["accuracy"] > 0.8
