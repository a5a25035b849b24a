"""Inputs, fixed transformations and the installed Keras's outputs for them, computed in
one Keras run (``keras_numbers`` caches it, so the three kfront backends share it)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from keras_reference import keras_numbers  # noqa: E402

RNG = np.random.RandomState(7)
IMAGES = RNG.randint(0, 256, (2, 16, 16, 3)).astype("float32")
# A smooth gradient plus noise, so equalization and CLAHE see varied histograms.
_ramp = np.linspace(40, 200, 24, dtype="float32")
SMOOTH = np.clip(_ramp[None, :, None, None] * np.ones((2, 24, 20, 3), "float32")
                 + RNG.normal(0, 12, (2, 24, 20, 3)), 0, 255).round().astype("float32")

# Fixed parameters, in the keys both libraries use.
TRANSFORMS = {
    "brightness": {"rgb_delta": np.array([[[[30.0]]], [[[-50.0]]]], "float32")},
    "saturation": {"factor": np.array([0.3, 0.8], "float32")},
    "hue": {"factor": np.array([0.12, -0.3], "float32")},
    "degeneration": {"factor": np.array([[[[0.25]]], [[[0.9]]]], "float32")},
    "invert": {"apply_inversion": np.array([True, False])},
    "solarize": {"additions": np.array([[[[0.0]]], [[[20.0]]]], "float32"),
                 "thresholds": np.array([[[[128.0]]], [[[90.0]]]], "float32")},
    "posterize": {"shift_factor": np.array([4, 6], "uint8")},
    "sharpness": {"factor": np.array([0.1, 0.9], "float32")},
    "shear": {"shear_factor": np.array([[0.2, -0.1], [-0.3, 0.25]], "float32")},
    "blur": {"should_apply_blur": np.array([True, False]),
             "blur_factor": np.array([0.7, 1.3], "float32")},
    "mixup": {"mix_weight": np.array([0.3, 0.8], "float32"),
              "permutation_order": np.array([1, 0], "int64")},
}

_SCRIPT = r'''
L = keras.layers
x, smooth = inp["images"], inp["smooth"]
def t(name):
    return {k[len(name) + 1:]: v for k, v in inp.items() if k.startswith(name + ".")}
def run(key, layer, images, transformation):
    out[key] = keras.ops.convert_to_numpy(layer.transform_images(images, transformation))
run("brightness", L.RandomBrightness(0.5), x, t("brightness"))
run("saturation", L.RandomSaturation(0.5, value_range=(0, 1)), x / 255.0, t("saturation"))
run("hue", L.RandomHue(0.5), x, t("hue"))
run("degeneration", L.RandomColorDegeneration(0.5), x, t("degeneration"))
run("invert", L.RandomInvert(), x, t("invert"))
run("solarize", L.Solarization(0.5, 0.5), x, t("solarize"))
run("posterize", L.RandomPosterization(4), x, t("posterize"))
run("sharpness", L.RandomSharpness(0.5), x, t("sharpness"))
run("shear", L.RandomShear(0.5, 0.5, fill_mode="constant"), x, t("shear"))
run("blur", L.RandomGaussianBlur(kernel_size=5), x, t("blur"))
run("mixup", L.MixUp(), x, t("mixup"))
out["grayscale"] = keras.ops.convert_to_numpy(L.RandomGrayscale(1.0)(x))
out["autocontrast"] = keras.ops.convert_to_numpy(L.AutoContrast()(smooth * 0.5 + 20))
out["autocontrast01"] = keras.ops.convert_to_numpy(
    L.AutoContrast(value_range=(0, 1))(smooth / 510.0 + 0.1))
out["equalize0"] = keras.ops.convert_to_numpy(L.Equalization()(smooth[0], training=True))
out["equalize_bins"] = keras.ops.convert_to_numpy(
    L.Equalization(bins=64)(smooth[1], training=True))
out["clahe"] = keras.ops.convert_to_numpy(
    L.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(3, 4))(smooth))
out["clahe_noclip"] = keras.ops.convert_to_numpy(
    L.ContrastLimitedAdaptiveHistogramEqualization(clip_limit=0, tile_grid_size=(2, 2))(x))
# A model with augmentation layers, saved by Keras for kfront to load.
import os, tempfile
model = keras.Sequential([keras.Input((16, 16, 3)), L.RandomBrightness(0.2, seed=1),
                          L.AutoContrast(), L.RandomShear(0.2, 0.1, seed=2),
                          L.Solarization(0.1, 0.9, seed=3), L.RandAugment(seed=4),
                          L.Pipeline([L.RandomInvert(0.5), L.RandomHue(0.3)]),
                          L.Conv2D(2, 3), L.GlobalAveragePooling2D()])
model.layers[-2].set_weights([np.full((3, 3, 3, 2), 0.01, "float32"),
                              np.array([0.5, -0.5], "float32")])
out["model_predict"] = model.predict(x, verbose=0)
path = os.path.join(tempfile.mkdtemp(), "aug.keras")
model.save(path)
out["model_file"] = np.frombuffer(open(path, "rb").read(), np.uint8)
'''


def keras_outputs():
    arrays = {"images": IMAGES, "smooth": SMOOTH}
    for name, values in TRANSFORMS.items():
        for key, value in values.items():
            arrays[f"{name}.{key}"] = value
    return keras_numbers(_SCRIPT, **arrays)
