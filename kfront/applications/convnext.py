"""ConvNeXt (Tiny, Small, Base, Large, XLarge): a ResNet modernized towards vision
transformers: 7x7 depthwise convolutions, LayerNormalization, inverted MLP blocks with
GELU, per-channel LayerScale and stochastic depth.

Reference: Liu et al., "A ConvNet for the 2020s" (https://arxiv.org/abs/2201.03545).
The models normalize their input themselves (``include_preprocessing=True``): feed
pixels in [0, 255]. Images must be channels-last.
"""
import numpy as np

from kfront import backend, initializers, layers, ops, random
from kfront.applications import _builder, _docs, _weights, imagenet_utils
from kfront.layers.layer import Layer
from kfront.models import Functional, Sequential
from kfront.random.seed_generator import SeedGenerator
from kfront.saving import register_serializable

# Folder of the published weights under the bucket (kfront.applications._weights).
WEIGHTS_FOLDER = _weights.KERAS_APPLICATIONS + "convnext/"
WEIGHTS_HASHES = {
    "convnext_tiny": (
        "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
        "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
    "convnext_small": (
        "ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
        "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab"),
    "convnext_base": (
        "52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
        "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45"),
    "convnext_large": (
        "070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
        "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd"),
    "convnext_xlarge": (
        "c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05"),
}
_DEEP = [3, 3, 27, 3]
MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768],
             "default_size": 224},
    "small": {"depths": _DEEP, "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "base": {"depths": _DEEP, "projection_dims": [128, 256, 512, 1024], "default_size": 224},
    "large": {"depths": _DEEP, "projection_dims": [192, 384, 768, 1536],
              "default_size": 224},
    "xlarge": {"depths": _DEEP, "projection_dims": [256, 512, 1024, 2048],
               "default_size": 224},
}


@register_serializable(package="kfront.applications.convnext")
class StochasticDepth(Layer):
    """Drops the whole residual branch of a sample with probability
    ``drop_path_rate`` in training (scaling kept samples by ``1 / (1 - rate)``);
    identity at inference.

    Args:
        drop_path_rate: probability of dropping a sample's branch, in [0, 1).
        seed: optional integer seed for the drop pattern.

    Reference: Huang et al., "Deep Networks with Stochastic Depth"
    (https://arxiv.org/abs/1603.09382).
    """

    def __init__(self, drop_path_rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= drop_path_rate < 1:
            raise ValueError("StochasticDepth: `drop_path_rate` must be in [0, 1). "
                             f"Received: drop_path_rate={drop_path_rate!r}")
        self.drop_path_rate = drop_path_rate
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)

    def call(self, x, training=None):
        if not training or not self.drop_path_rate:
            return x
        keep_prob = 1 - self.drop_path_rate
        shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        mask = ops.floor(keep_prob + random.uniform(shape, 0, 1, seed=self.seed_generator))
        return (x / keep_prob) * mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate,
                "seed": self.seed}


@register_serializable(package="kfront.applications.convnext")
class LayerScale(Layer):
    """Multiplies the last axis by a learned per-channel scale, initialized to
    ``init_values``.

    Args:
        init_values: the scale's initial value (ConvNeXt uses 1e-6).
        projection_dim: the size of the last axis.

    Reference: Touvron et al., "Going deeper with Image Transformers"
    (https://arxiv.org/abs/2103.17239).
    """

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        if input_shape[-1] is not None and input_shape[-1] != self.projection_dim:
            raise ValueError(f"LayerScale: the input's last axis must have size "
                             f"projection_dim={self.projection_dim}. Received input shape "
                             f"{tuple(input_shape)}.")
        self.gamma = self.add_weight(shape=(self.projection_dim,),
                                     initializer=initializers.Constant(self.init_values),
                                     trainable=True, name="gamma")
        self.built = True

    def call(self, x):
        return x * self.gamma

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "init_values": self.init_values,
                "projection_dim": self.projection_dim}


def ConvNeXtBlock(projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6,
                  name=None):
    """One ConvNeXt block (depthwise 7x7, LayerNorm, 4x MLP with GELU, LayerScale,
    stochastic depth, residual). Returns a function of the input tensor."""
    if name is None:
        name = f"prestem{backend.get_uid('prestem')}"

    def apply(inputs):
        x = layers.Conv2D(filters=projection_dim, kernel_size=7, padding="same",
                          groups=projection_dim, name=f"{name}_depthwise_conv")(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=f"{name}_gelu")(x)
        x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim,
                           name=f"{name}_layer_scale")(x)
        if drop_path_rate:
            branch = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
        else:
            branch = layers.Activation("linear", name=f"{name}_identity")
        return inputs + branch(x)

    return apply


def PreStem(name=None):
    """The input normalization by ImageNet's per-channel mean and variance (of [0, 255]
    pixels). Returns a function of the input tensor."""
    if name is None:
        name = f"prestem{backend.get_uid('prestem')}"

    def apply(x):
        return layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
            name=f"{name}_prestem_normalization")(x)

    return apply


def Head(num_classes=1000, classifier_activation=None, name=None):
    """The classification head: global average pooling, LayerNorm, Dense. Returns a
    function of the input tensor."""
    if name is None:
        name = str(backend.get_uid("head"))

    def apply(x):
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        return layers.Dense(num_classes, activation=classifier_activation,
                            name=f"{name}_head_dense")(x)

    return apply


def _downsample_layers(name, projection_dims):
    stem = Sequential([
        layers.Conv2D(projection_dims[0], kernel_size=4, strides=4,
                      name=f"{name}_stem_conv"),
        layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
    ], name=f"{name}_stem")
    return [stem] + [
        Sequential([
            layers.LayerNormalization(epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"),
            layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2,
                          name=f"{name}_downsampling_conv_{i}"),
        ], name=f"{name}_downsampling_block_{i}")
        for i in range(3)]


def ConvNeXt(depths, projection_dims, drop_path_rate=0.0, layer_scale_init_value=1e-6,
             default_size=224, name="convnext", include_preprocessing=True,
             include_top=True, weights=None, input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax",
             weights_name=None):
    """Builds a ConvNeXt from its stage depths and widths (the named constructors call
    this)."""
    if not _builder.channels_last():
        raise ValueError("ConvNeXt does not support the `channels_first` image data "
                         "format. Switch to `channels_last` (kfront.config."
                         "set_image_data_format('channels_last')).")
    _builder.check_arguments(weights, include_top, classes, pooling)
    input_shape = _builder.input_shape_for(input_shape, default_size, include_top, weights)
    img_input = _builder.image_input(input_shape, input_tensor)
    if input_tensor is not None:
        inputs = _builder.model_inputs(input_tensor, img_input)[0]
        x = input_tensor
    else:
        inputs = x = img_input
    if include_preprocessing and input_shape[-1] == 3:
        x = PreStem(name=name)(x)

    downsample = _downsample_layers(name, projection_dims)
    drop_rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    start = 0
    for i, depth in enumerate(depths):
        x = downsample[i](x)
        for j in range(depth):
            x = ConvNeXtBlock(projection_dim=projection_dims[i],
                              drop_path_rate=drop_rates[start + j],
                              layer_scale_init_value=layer_scale_init_value,
                              name=f"{name}_stage_{i}_block_{j}")(x)
        start += depth

    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Head(num_classes=classes, classifier_activation=classifier_activation,
                 name=name)(x)
    else:
        x = _builder.pool(x, pooling)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    model = Functional(inputs=inputs, outputs=x, name=name)

    file_name = file_hash = None
    if weights == "imagenet":
        expected = MODEL_CONFIGS[weights_name.split("convnext_")[-1]]
        if depths != expected["depths"] or projection_dims != expected["projection_dims"]:
            raise ValueError(
                f"Architecture configuration does not match {weights_name} variant: "
                f"expected depths {expected['depths']} and projection_dims "
                f"{expected['projection_dims']}, received depths {depths} and "
                f"projection_dims {projection_dims}.")
        if weights_name not in name:
            raise ValueError(f'Model name "{name}" does not match weights variant '
                             f'"{weights_name}": with imagenet weights the name must '
                             f'contain "{weights_name}".')
        file_name = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    return _builder.load_weights(model, weights, WEIGHTS_FOLDER, file_name, file_hash)


_DOC = """Instantiates the {name} architecture.

    The model normalizes its input itself by default: feed pixels in [0, 255].

    Args:
        include_top: whether to end with the classifier.
        include_preprocessing: whether the model normalizes its [0, 255] input.
        weights: ``None``, ``"imagenet"`` or a path to a weights file.
        input_tensor: optional tensor to use as the image input.
        input_shape: optional channels-last image shape without the batch axis; at
            least 32x32.
        pooling: ``None``, ``"avg"`` or ``"max"`` when ``include_top=False``.
        classes: number of classes when ``include_top`` and no ``weights``.
        classifier_activation: activation of the top layer (``None`` for logits).
        name: the model's name.

    Returns:
        A ``Functional`` model.

    Example:
        >>> model = {name}(weights=None, input_shape=(32, 32, 3), classes=10)
    """


def _constructor(variant, class_name):
    config = MODEL_CONFIGS[variant]

    def constructor(include_top=True, include_preprocessing=True, weights="imagenet",
                    input_tensor=None, input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", name=f"convnext_{variant}"):
        return ConvNeXt(weights_name=f"convnext_{variant}", depths=config["depths"],
                        projection_dims=config["projection_dims"], drop_path_rate=0.0,
                        layer_scale_init_value=1e-6, default_size=config["default_size"],
                        name=name, include_top=include_top,
                        include_preprocessing=include_preprocessing, weights=weights,
                        input_tensor=input_tensor, input_shape=input_shape,
                        pooling=pooling, classes=classes,
                        classifier_activation=classifier_activation)

    constructor.__name__ = constructor.__qualname__ = class_name
    constructor.__doc__ = _DOC.format(name=class_name)
    return constructor


ConvNeXtTiny = _constructor("tiny", "ConvNeXtTiny")
ConvNeXtSmall = _constructor("small", "ConvNeXtSmall")
ConvNeXtBase = _constructor("base", "ConvNeXtBase")
ConvNeXtLarge = _constructor("large", "ConvNeXtLarge")
ConvNeXtXLarge = _constructor("xlarge", "ConvNeXtXLarge")


preprocess_input, decode_predictions = _docs.preprocessing("convnext", None)
