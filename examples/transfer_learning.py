"""Transfer learning with an application model: a frozen ResNet50 base under a new
classification head, then its last block unfrozen and fine-tuned at a low learning rate
(the recipe of Keras's transfer-learning guide), on a small synthetic image set made here.

    KFRONT_BACKEND=torch python examples/transfer_learning.py [resnet50_notop.h5]

The base starts from the ImageNet weights: a local Keras ResNet50 weights file
(``resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5``) when given, else the published
file, downloaded once into the cache. Where the network is unreachable the base starts from
random weights (the script says so), and the head still learns the synthetic task.
"""
import sys

import numpy as np

import kfront as keras
from kfront import layers
from kfront.applications import resnet

SIZE = 32
CLASSES = ("reddish", "greenish", "bluish")


def make_images(count, seed):
    """Noisy images of random brightness whose class is the colour channel lifted above
    the others."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(CLASSES), count)
    brightness = rng.uniform(40, 140, (count, 1, 1, 1))
    images = brightness + rng.normal(0, 20, (count, SIZE, SIZE, 3))
    images[np.arange(count), :, :, labels] += 90
    return np.clip(images, 0, 255).astype("float32"), labels


def base_model(weights_path):
    kwargs = dict(include_top=False, input_shape=(SIZE, SIZE, 3))
    if weights_path:
        print(f"ResNet50 base: weights from {weights_path}")
        return resnet.ResNet50(weights=weights_path, **kwargs)
    try:
        base = resnet.ResNet50(weights="imagenet", **kwargs)
        print("ResNet50 base: ImageNet weights")
        return base
    except OSError as error:
        print(f"The ImageNet weights could not be downloaded (is the network unreachable?): "
              f"{error}\nResNet50 base: random weights instead; pass the path of a local "
              "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5 to start from ImageNet.")
        return resnet.ResNet50(weights=None, **kwargs)


def main():
    keras.utils.set_random_seed(0)
    x_train, y_train = make_images(480, seed=1)
    x_test, y_test = make_images(120, seed=2)

    base = base_model(sys.argv[1] if len(sys.argv) > 1 else None)
    base.trainable = False  # freezes every weight, BatchNormalization statistics included

    inputs = keras.Input((SIZE, SIZE, 3))
    x = resnet.preprocess_input(inputs)
    x = base(x, training=False)  # inference mode for BatchNormalization, even once unfrozen
    x = layers.GlobalAveragePooling2D()(x)
    # The frozen features are large and correlated; normalizing them lets the head train
    # quickly (a low momentum, so the moving statistics settle within a few epochs).
    x = layers.BatchNormalization(momentum=0.9)(x)
    outputs = layers.Dense(len(CLASSES), activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.summary(line_length=90, print_fn=lambda line, *a, **k: None)

    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=5, verbose=0)
    head_accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    print(f"new head on the frozen base: test accuracy {head_accuracy:.3f}")

    # Fine-tune: unfreeze the last residual block only, with a small learning rate.
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith("conv5_block3")
    model.compile(optimizer=keras.optimizers.Adam(1e-4),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=1, verbose=0)
    tuned_accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    print(f"after fine-tuning conv5_block3: test accuracy {tuned_accuracy:.3f}")
    print(f"backend={keras.backend.backend()} head_accuracy={head_accuracy:.3f} "
          f"tuned_accuracy={tuned_accuracy:.3f}")


if __name__ == "__main__":
    main()
