"""Parity specs for normalization, activation, reshaping, noise (inference) and Dot layers."""
from layer_spec import spec

from kfront import initializers, layers

_TRAIN = {"training": True}
_ALPHA = initializers.Constant(0.25)

SPECS = [
    # Normalization. The worker snapshots weights bit for bit after its first call, so
    # training specs use momentum=1 (moving statistics stay exact); the update itself is
    # checked per engine in tests/layers/normalization.
    spec("batch_norm_train", lambda: layers.BatchNormalization(momentum=1.0), [(6, 4)], _TRAIN,
         rtol=1e-4, atol=1e-5,
         why="batch variance and rsqrt reduce in engine-specific orders"),
    spec("batch_norm_infer", lambda: layers.BatchNormalization(
        moving_variance_initializer=initializers.Constant(2.0)), [(6, 4)]),
    spec("batch_norm_channels_first_train",
         lambda: layers.BatchNormalization(axis=1, momentum=1.0),
         [(2, 3, 4, 4)], _TRAIN, rtol=1e-4, atol=1e-5,
         why="batch variance and rsqrt reduce in engine-specific orders"),
    spec("batch_norm_moving_stats_update", lambda: _TrainsAfterFirstCall(momentum=0.9),
         [(6, 4)], rtol=1e-4, atol=1e-5,
         why="batch variance and rsqrt reduce in engine-specific orders"),
    spec("batch_norm_frozen", lambda: _frozen(layers.BatchNormalization()), [(6, 4)], _TRAIN),
    spec("layer_norm", lambda: layers.LayerNormalization(), [(3, 4, 5)], rtol=1e-4, atol=1e-5,
         why="variance and rsqrt reduce in engine-specific orders"),
    spec("layer_norm_axes", lambda: layers.LayerNormalization(axis=[1, 2]), [(2, 3, 4)],
         rtol=1e-4, atol=1e-5, why="variance and rsqrt reduce in engine-specific orders"),
    spec("group_norm", lambda: layers.GroupNormalization(groups=2), [(2, 3, 4)],
         rtol=1e-4, atol=1e-5, why="variance and rsqrt reduce in engine-specific orders"),
    spec("group_norm_channels_first", lambda: layers.GroupNormalization(groups=3, axis=1),
         [(2, 6, 2, 2)], rtol=1e-4, atol=1e-5,
         why="variance and rsqrt reduce in engine-specific orders"),
    spec("unit_norm", lambda: layers.UnitNormalization(), [(3, 5)]),
    # Activation layers.
    spec("relu_params", lambda: layers.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.2),
         [(3, 5)]),
    spec("leaky_relu", lambda: layers.LeakyReLU(0.2), [(3, 5)]),
    spec("prelu_shared", lambda: layers.PReLU(_ALPHA, shared_axes=[1]), [(2, 3, 4)]),
    spec("elu", lambda: layers.ELU(0.5), [(3, 5)]),
    spec("softmax", lambda: layers.Softmax(), [(3, 5)]),
    spec("softmax_axes", lambda: layers.Softmax(axis=(1, 2)), [(2, 3, 4)]),
    # Reshaping.
    spec("permute", lambda: layers.Permute((2, 1, 3)), [(2, 3, 4, 2)]),
    spec("repeat_vector", lambda: layers.RepeatVector(3), [(2, 4)]),
    spec("cropping1d", lambda: layers.Cropping1D((1, 2)), [(2, 6, 3)]),
    spec("cropping2d_channels_first", lambda: layers.Cropping2D(
        ((1, 0), (0, 2)), data_format="channels_first"), [(2, 3, 4, 5)]),
    spec("cropping3d", lambda: layers.Cropping3D(1), [(2, 3, 4, 3, 2)]),
    spec("zero_padding1d", lambda: layers.ZeroPadding1D((1, 2)), [(2, 4, 3)]),
    spec("zero_padding2d_channels_first", lambda: layers.ZeroPadding2D(
        ((1, 0), (2, 1)), data_format="channels_first"), [(2, 3, 4, 5)]),
    spec("zero_padding3d", lambda: layers.ZeroPadding3D(1), [(2, 2, 3, 2, 2)]),
    spec("up_sampling1d", lambda: layers.UpSampling1D(3), [(2, 4, 3)]),
    spec("up_sampling2d", lambda: layers.UpSampling2D((2, 3)), [(2, 3, 4, 2)]),
    spec("up_sampling2d_bilinear", lambda: layers.UpSampling2D(
        2, interpolation="bilinear"), [(2, 3, 4, 2)]),
    spec("up_sampling3d_channels_first", lambda: layers.UpSampling3D(
        2, data_format="channels_first"), [(1, 2, 2, 3, 2)]),
    # Noise layers at inference are the identity; ActivityRegularization passes through.
    spec("spatial_dropout2d_infer", lambda: layers.SpatialDropout2D(0.5), [(2, 3, 3, 4)]),
    spec("gaussian_noise_infer", lambda: layers.GaussianNoise(0.5), [(3, 4)]),
    spec("alpha_dropout_infer", lambda: layers.AlphaDropout(0.3), [(3, 4)]),
    spec("activity_regularization", lambda: layers.ActivityRegularization(0.1, 0.1), [(3, 4)]),
    # Dot.
    spec("dot_vectors", lambda: layers.Dot(axes=1), [(3, 4), (3, 4)], as_list=True),
    spec("dot_matrices", lambda: layers.Dot(axes=(2, 2)), [(2, 3, 4), (2, 5, 4)],
         as_list=True),
    spec("dot_normalize", lambda: layers.Dot(axes=1, normalize=True), [(3, 4), (3, 4, 2)],
         as_list=True),
]


class _TrainsAfterFirstCall(layers.BatchNormalization):
    """Inference on the worker's first (weight snapshot) call, training on later ones, so
    the moving-statistics update is compared as state, within tolerance."""

    def call(self, inputs, training=None, mask=None):
        first = not getattr(self, "_called", False)
        self._called = True
        return super().call(inputs, training=not first, mask=mask)


def _frozen(layer):
    layer.trainable = False
    return layer
