"""Image augmentation two ways, on a folder of PNGs written by this script: horizontal vs
vertical stripes with noise and random phase.

1. Keras 2 style: ``ImageDataGenerator.flow_from_directory`` augments on the host.
2. Keras 3 style: ``image_dataset_from_directory`` plus augmentation layers in the model,
   which run inside the compiled train step and switch off at inference.

    KFRONT_BACKEND=jax python examples/image_augmentation.py
"""
import os
import tempfile

import numpy as np

import kfront as keras
from kfront import layers
from kfront.preprocessing.image import ImageDataGenerator

SIZE = 16


def write_images(root, per_class, seed):
    rng = np.random.RandomState(seed)
    for name, axis in (("horizontal", 0), ("vertical", 1)):
        os.makedirs(os.path.join(root, name), exist_ok=True)
        for i in range(per_class):
            period = rng.randint(2, 5)
            wave = (np.arange(SIZE) + rng.randint(period)) // period % 2 * 180.0 + 30
            img = wave[:, None] * np.ones((1, SIZE)) if axis == 0 else wave[None, :] * \
                np.ones((SIZE, 1))
            img = np.clip(img[:, :, None] + rng.normal(0, 30, (SIZE, SIZE, 3)), 0, 255)
            keras.utils.save_img(os.path.join(root, name, f"{i:03d}.png"), img, scale=False)


def convnet(augmentation=()):
    return keras.Sequential([
        keras.Input((SIZE, SIZE, 3)),
        *augmentation,
        layers.Conv2D(8, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(1, activation="sigmoid"),
    ])


keras.utils.set_random_seed(7)
workdir = tempfile.mkdtemp()
train_dir, test_dir = os.path.join(workdir, "train"), os.path.join(workdir, "test")
write_images(train_dir, per_class=40, seed=0)
write_images(test_dir, per_class=20, seed=1)

# 1. ImageDataGenerator: flips and shifts keep the stripes' direction, so they are safe.
augment = ImageDataGenerator(rescale=1 / 255.0, horizontal_flip=True, vertical_flip=True,
                             width_shift_range=0.2, height_shift_range=0.2, fill_mode="wrap",
                             validation_split=0.2)
train = augment.flow_from_directory(train_dir, target_size=(SIZE, SIZE), batch_size=16,
                                    class_mode="binary", subset="training", seed=1)
val = augment.flow_from_directory(train_dir, target_size=(SIZE, SIZE), batch_size=16,
                                  class_mode="binary", subset="validation", seed=1)
model = convnet()
model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy"])
model.fit(train, validation_data=val, epochs=15, verbose=2)
test = ImageDataGenerator(rescale=1 / 255.0).flow_from_directory(
    test_dir, target_size=(SIZE, SIZE), batch_size=20, class_mode="binary", shuffle=False)
_, generator_accuracy = model.evaluate(test, verbose=0)

# 2. Augmentation layers: random only while training.
train_ds = keras.utils.image_dataset_from_directory(
    train_dir, image_size=(SIZE, SIZE), batch_size=16, label_mode="binary", seed=1)
test_ds = keras.utils.image_dataset_from_directory(
    test_dir, image_size=(SIZE, SIZE), batch_size=20, label_mode="binary", shuffle=False)
model = convnet([layers.Rescaling(1 / 255.0), layers.RandomFlip(seed=1),
                 layers.RandomTranslation(0.2, 0.2, fill_mode="wrap", seed=2)])
model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy"])
model.fit(train_ds, epochs=15, verbose=2)
_, layers_accuracy = model.evaluate(test_ds, verbose=0)

print(f"backend={keras.backend.backend()} test_accuracy={generator_accuracy:.4f} "
      f"layers_accuracy={layers_accuracy:.4f}")
