"""The public API surface: every public name of the installed keras (3.15) exists in the
kfront namespace of the same name, except the allowlist below (a reason per entry).

The test fails when Keras adds a name kfront lacks, and when an allowlist entry goes stale
(kfront gained the name, or Keras dropped it), so the allowlist only shrinks. Entries marked
"being added in this release" are being written on other branches and go at integration.
"""
import importlib

import pytest

# keras.datasets' loaders, one namespace each (a test checks the list is complete).
DATASETS = ["boston_housing", "california_housing", "cifar10", "cifar100", "fashion_mnist",
            "imdb", "mnist", "reuters"]
NAMESPACES = [
    "", "activations", "applications", "backend", "callbacks", "config", "constraints",
    "distribution", "dtype_policies", "export", "initializers", "layers", "legacy.saving",
    "losses", "metrics", "mixed_precision", "models", "ops", "ops.image", "ops.linalg",
    "ops.nn", "ops.numpy", "optimizers", "optimizers.schedules", "preprocessing",
    "preprocessing.image", "preprocessing.sequence", "quantizers", "random", "regularizers",
    "saving", "tree", "utils", "utils.legacy", "visualization", "wrappers",
    "utils.bounding_boxes", "datasets",
] + [f"datasets.{name}" for name in DATASETS]

# {namespace: {name: reason}}
ALLOWED = {}


def _allow(namespace, reason, names):
    for name in names.split():
        assert name not in ALLOWED.get(namespace, {}), f"{namespace}.{name} listed twice"
        ALLOWED.setdefault(namespace, {})[name] = reason


_allow('', "keras.src is Keras's private implementation package, not API", """
    src
""")
_allow('', 'applications: the model-zoo issue', """
    applications
""")
_allow('', 'export: the export issue (kfront/export/)', """
    export
""")
_allow('', 'quantizers: the quantization issue', """
    quantizers Quantizer
""")
_allow('', 'visualization: the visualization issue', """
    visualization
""")
_allow('', 'wrappers: the scikit-learn wrappers issue', """
    wrappers
""")
_allow('', 'knowledge distillation (keras.distillation): a separate issue, not planned yet', """
    distillation
""")
_allow('', 'rematerialization needs an engine hook in the adapter contract (jax.checkpoint, '
       'torch.utils.checkpoint, tf.recompute_grad): a separate issue', """
    RematScope remat
""")
_allow('', 'being added in this release (kfront.legacy)', """
    legacy
""")
_allow('activations', 'being added in this release', """
    celu glu hard_shrink hard_tanh soft_shrink sparse_plus sparse_sigmoid sparsemax
    squareplus tanh_shrink threshold
""")
_allow('applications', 'applications: the model-zoo issue', """
    ConvNeXtBase ConvNeXtLarge ConvNeXtSmall ConvNeXtTiny ConvNeXtXLarge DenseNet121
    DenseNet169 DenseNet201 EfficientNetB0 EfficientNetB1 EfficientNetB2
    EfficientNetB3 EfficientNetB4 EfficientNetB5 EfficientNetB6 EfficientNetB7
    EfficientNetV2B0 EfficientNetV2B1 EfficientNetV2B2 EfficientNetV2B3
    EfficientNetV2L EfficientNetV2M EfficientNetV2S InceptionResNetV2 InceptionV3
    MobileNet MobileNetV2 MobileNetV3Large MobileNetV3Small NASNetLarge NASNetMobile
    ResNet101 ResNet101V2 ResNet152 ResNet152V2 ResNet50 ResNet50V2 VGG16 VGG19
    Xception convnext densenet efficientnet efficientnet_v2 imagenet_utils
    inception_resnet_v2 inception_v3 mobilenet mobilenet_v2 mobilenet_v3 nasnet
    resnet resnet50 resnet_v2 vgg16 vgg19 xception
""")
_allow('export', 'export: the export issue (ExportArchive needs the TF SavedModel exporter)', """
    ExportArchive
""")
_allow('layers', 'engine interop: wrapping Flax modules (the JAX interop issue)', """
    FlaxLayer
""")
_allow('layers', 'engine interop: wrapping JAX functions (the JAX interop issue)', """
    JaxLayer
""")
_allow('layers', 'engine interop: wrapping torch.nn.Module (the torch interop issue)', """
    TorchModuleWrapper
""")
_allow('layers', 'engine interop: TensorFlow SavedModel layers (the export/TF interop issue)', """
    TFSMLayer
""")
_allow('layers', 'image augmentation layers: the preprocessing augmentation issue', """
    AugMix AutoContrast ContrastLimitedAdaptiveHistogramEqualization CutMix
    Equalization MaxNumBoundingBoxes MixUp RandAugment RandomBrightness
    RandomColorDegeneration RandomColorJitter RandomElasticTransform RandomErasing
    RandomGaussianBlur RandomGrayscale RandomHue RandomInvert RandomPerspective
    RandomPosterization RandomSaturation RandomSharpness RandomShear Solarization
""")
_allow('layers', 'preprocessing layers: the preprocessing-layers issue', """
    HashedCrossing MelSpectrogram Pipeline STFTSpectrogram
""")
_allow('layers', 'being added in this release', """
    AdaptiveAveragePooling1D AdaptiveAveragePooling2D AdaptiveAveragePooling3D
    AdaptiveMaxPooling1D AdaptiveMaxPooling2D AdaptiveMaxPooling3D
    GroupQueryAttention Identity RMSNormalization ReversibleEmbedding
    SpectralNormalization Wrapper deserialize serialize
""")
_allow('legacy.saving', 'being added in this release (kfront.legacy)', """
    deserialize_keras_object serialize_keras_object
""")
_allow('losses', 'being added in this release', """
    CTC CategoricalGeneralizedCrossEntropy Circle
    categorical_generalized_cross_entropy circle ctc
""")
_allow('metrics', 'being added in this release', """
    ConcordanceCorrelation PearsonCorrelation binary_focal_crossentropy
    categorical_focal_crossentropy concordance_correlation pearson_correlation
""")
_allow('ops', 'being added in this release', """
    adaptive_average_pool adaptive_max_pool allclose amax amin angle append arccos
    arccosh arcsin arcsinh arctan2 arctanh argpartition array array_split
    associative_scan average bartlett bincount bitwise_and bitwise_invert
    bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift bitwise_xor
    blackman cbrt cdist celu cholesky cholesky_inverse cond conj conjugate copy
    corrcoef correlate cross ctc_decode ctc_loss cumprod custom_gradient deg2rad
    depth_to_space det diag diagflat diagonal diff digitize divide_no_nan dsplit
    dstack eig eigh empty empty_like erfc erfinv exp2 extract_sequences fabs fft
    fft2 fliplr flipud fmax fmin fmod fold fori_loop gcd geomspace get_item glu
    hamming hanning hard_shrink hard_swish hard_tanh heaviside histogram hsplit
    hstack hypot i0 identity ifft2 imag inner inv irfft isclose isin isneginf
    isposinf isreal istft jvp kaiser kron layer_normalization lcm ldexp left_shift
    log10 log2 logaddexp logaddexp2 logdet logical_xor logspace lstsq lu_factor map
    matrix_rank median meshgrid moveaxis multi_hot nan_to_num nanargmax nanargmin
    nancumprod nancumsum nanmax nanmean nanmedian nanmin nanpercentile nanprod
    nanquantile nanstd nansum nanvar nextafter nonzero normalize percentile pinv
    polar psnr ptp qr quantile rad2deg ravel real rearrange reciprocal rfft
    right_shift rms_normalization roll rot90 rsqrt saturate_cast scan scatter
    scatter_update searchsorted segment_max segment_min segment_prod segment_sum
    select signbit sinc slice slice_update slogdet soft_shrink solve
    solve_triangular space_to_depth sparse_plus sparse_sigmoid sparsemax squareplus
    stft svd swapaxes switch tanh_shrink threshold trace trapezoid tri tril triu
    trunc unfold unique unravel_index unstack vander vdot vectorize vectorized_map
    view view_as_complex view_as_real vsplit vstack while_loop
""")
_allow('ops.image', 'being added in this release', """
    crop_images elastic_transform extract_patches extract_patches_3d gaussian_blur
    hsv_to_rgb map_coordinates pad_images perspective_transform rgb_to_grayscale
    rgb_to_hsv scale_and_translate sobel_edges ssim
""")
_allow('ops.linalg', 'being added in this release', """
    cholesky cholesky_inverse det eig eigh inv jvp lstsq lu_factor matrix_rank norm
    pinv qr solve solve_triangular svd
""")
_allow('ops.nn', 'being added in this release', """
    adaptive_average_pool adaptive_max_pool celu ctc_decode ctc_loss depth_to_space
    fold glu hard_shrink hard_swish hard_tanh layer_normalization multi_hot
    normalize polar psnr rms_normalization soft_shrink space_to_depth sparse_plus
    sparse_sigmoid sparsemax squareplus tanh_shrink threshold unfold
""")
_allow('ops.numpy', 'being added in this release', """
    allclose amax amin angle append arccos arccosh arcsin arcsinh arctan2 arctanh
    argpartition array array_split average bartlett bincount bitwise_and
    bitwise_invert bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift
    bitwise_xor blackman cbrt conj conjugate copy corrcoef correlate cross cumprod
    deg2rad diag diagflat diagonal diff digitize divide_no_nan dsplit dstack empty
    empty_like exp2 fabs fliplr flipud fmax fmin fmod gcd geomspace get_item hamming
    hanning heaviside histogram hsplit hstack hypot i0 identity imag inner isclose
    isin isneginf isposinf isreal kaiser kron lcm ldexp left_shift log10 log2
    logaddexp logaddexp2 logical_xor logspace median meshgrid moveaxis nan_to_num
    nanargmax nanargmin nancumprod nancumsum nanmax nanmean nanmedian nanmin
    nanpercentile nanprod nanquantile nanstd nansum nanvar nextafter nonzero
    percentile ptp quantile rad2deg ravel real reciprocal right_shift roll rot90
    searchsorted select signbit sinc slogdet swapaxes trace trapezoid tri tril triu
    trunc unique unravel_index vander vdot vectorize view vsplit vstack
""")
_allow('optimizers', 'being added in this release', """
    Adafactor MultiOptimizer Muon OptimizerMap ScheduleFreeAdamW legacy
""")
_allow('quantizers', 'quantizers: the quantization issue', """
    AWQConfig AbsMaxQuantizer Float8QuantizationConfig GPTQConfig
    Int4QuantizationConfig Int8QuantizationConfig QuantizationConfig Quantizer
    abs_max_quantize abs_max_quantize_grouped_with_zero_point
    compute_float8_amax_history compute_float8_scale deserialize
    fake_quant_with_min_max_vars get pack_int4 quantize_and_dequantize serialize
    unpack_int4
""")
_allow('random', 'being added in this release', """
    beta binomial categorical gamma shuffle
""")
_allow('utils', 'FeatureSpace: the preprocessing-layers issue', """
    FeatureSpace
""")
_allow('utils', 'plot_model/model_to_dot: the visualization issue (needs pydot and graphviz)', """
    model_to_dot plot_model
""")
_allow('utils', 'audio datasets: the audio-data issue', """
    audio_dataset_from_directory
""")
_allow('utils', 'bounding boxes: the bounding-box utilities issue', """
    bounding_boxes
""")
_allow('utils', 'being added in this release (kfront.utils.legacy)', """
    legacy
""")
_allow('utils.legacy', 'being added in this release (kfront.utils.legacy)', """
    deserialize_keras_object serialize_keras_object
""")
_allow('visualization', 'visualization: the visualization issue', """
    draw_bounding_boxes draw_segmentation_masks plot_bounding_box_gallery
    plot_image_gallery plot_segmentation_mask_gallery
""")
_allow('wrappers', 'wrappers: the scikit-learn wrappers issue', """
    SKLearnClassifier SKLearnRegressor SKLearnTransformer
""")
_allow('utils.bounding_boxes', 'bounding boxes: the bounding-box utilities issue', """
    affine_transform clip_to_image_size compute_ciou compute_iou convert_format crop
    decode_deltas_to_boxes encode_box_to_deltas pad
""")


@pytest.fixture(scope="session")
def keras_module():
    return pytest.importorskip("keras")


def _keras_names(keras_module, namespace):
    module = importlib.import_module("keras" + (f".{namespace}" if namespace else ""))
    return sorted(n for n in dir(module) if not n.startswith("_"))


def _kfront_module(namespace):
    try:
        return importlib.import_module("kfront" + (f".{namespace}" if namespace else ""))
    except ImportError:
        return None


@pytest.mark.parametrize("namespace", NAMESPACES, ids=lambda ns: ns or "top_level")
def test_every_keras_name_exists_in_kfront(keras_module, namespace):
    module = _kfront_module(namespace)
    allowed = ALLOWED.get(namespace, {})
    missing = [name for name in _keras_names(keras_module, namespace)
               if name not in allowed and (module is None or not hasattr(module, name))]
    where = f"kfront.{namespace}" if namespace else "kfront"
    assert not missing, f"{where} lacks these names of keras.{namespace or '*'}: {missing}"


@pytest.mark.parametrize("namespace", sorted(ALLOWED), ids=lambda ns: ns or "top_level")
def test_allowlist_has_no_stale_entries(keras_module, namespace):
    module = _kfront_module(namespace)
    keras_names = set(_keras_names(keras_module, namespace))
    present = sorted(n for n in ALLOWED[namespace] if module is not None and hasattr(module, n))
    assert not present, f"kfront has these now: remove them from the allowlist: {present}"
    gone = sorted(n for n in ALLOWED[namespace] if n not in keras_names)
    assert not gone, f"keras.{namespace} no longer has these: remove them: {gone}"


def test_namespace_lists_cover_keras(keras_module):
    import keras.datasets
    datasets = sorted(n for n in dir(keras.datasets) if not n.startswith("_"))
    assert datasets == DATASETS
    assert set(ALLOWED) <= set(NAMESPACES)
