"""The adapter contract: what every engine adapter (``kfront.backends.<name>``) provides.

An adapter is a package whose top-level namespace exposes the names below. The front-end
(``kfront/``) reaches an engine only through these names; the conformance suite in
``tests/backend`` checks each one against NumPy on every installed adapter.

Conventions every adapter keeps:
- Tensor arguments may be engine tensors, NumPy arrays, Python scalars or (nested) lists.
  ``kfront.ops`` has already replaced any ``kfront.Variable`` by its current value.
- Dtypes are named by strings: "float16", "bfloat16", "float32", "float64", "int8", "int16",
  "int32", "int64", "uint8", "uint16", "uint32", "bool". ``dtype=None`` means: infer as NumPy
  would, except that Python floats and float64 NumPy arrays become ``kfront.config.floatx()``
  (float32 by default) and Python ints become int32. JAX runs with 64-bit types off (its
  default): there int64/float64 requests narrow to int32/float32.
- Reductions take ``axis=None | int | tuple`` and ``keepdims=False`` as NumPy does.
- Random functions take ``seed``: a length-2 integer tensor from ``kfront.random.SeedGenerator``
  (or a Python int); the same seed gives the same numbers.
"""

# Tensors and dtypes.
TENSOR_OPS = (
    "is_tensor", "convert_to_tensor", "convert_to_numpy", "shape", "dtype", "cast",
    "stop_gradient",
)

# NumPy-like ops, with NumPy's names, arguments and broadcasting.
NUMPY_OPS = (
    "abs", "absolute", "add", "subtract", "multiply", "divide", "true_divide", "floor_divide",
    "mod", "power", "negative", "square", "sqrt", "exp", "log", "log1p", "expm1", "sign",
    "floor", "ceil", "round", "maximum", "minimum", "clip", "where",
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "logical_and", "logical_or", "logical_not",
    "matmul", "dot", "tensordot", "einsum", "outer",
    "transpose", "reshape", "expand_dims", "squeeze", "concatenate", "stack", "split",
    "tile", "repeat", "broadcast_to", "flip", "pad",
    "mean", "sum", "max", "min", "prod", "std", "var", "argmax", "argmin", "cumsum",
    "sort", "argsort", "any", "all", "count_nonzero",
    "zeros", "ones", "zeros_like", "ones_like", "full", "full_like", "arange", "eye",
    "linspace", "isnan", "isinf", "isfinite", "take", "take_along_axis",
    "sin", "cos", "tan", "tanh", "sinh", "cosh", "arctan", "size", "ndim",
)

# Neural-network ops, with Keras 3's names and arguments (keras.ops.*).
NN_OPS = (
    "relu", "relu6", "sigmoid", "softplus", "softsign", "silu", "swish", "gelu", "elu",
    "selu", "leaky_relu", "hard_sigmoid", "hard_silu", "log_sigmoid", "exponential",
    "softmax", "log_softmax", "one_hot",
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
)

# Math ops (keras.ops.*): logsumexp, erf, erfc, erfinv, rsqrt, top_k, in_top_k, norm.
MATH_OPS = ("logsumexp", "erf", "erfc", "erfinv", "rsqrt", "top_k", "in_top_k", "norm")

# Layer kernels (keras.ops.nn names), each family filled by its own adapter module
# (backends/<name>/{conv,normalization,rnn,attention}.py).
CONV_OPS = ("conv", "depthwise_conv", "separable_conv", "conv_transpose", "max_pool",
            "average_pool")
NORMALIZATION_OPS = ("moments", "batch_normalization")
RNN_OPS = ("rnn",)
ATTENTION_OPS = ("dot_product_attention",)
LAYER_OPS = CONV_OPS + NORMALIZATION_OPS + RNN_OPS + ATTENTION_OPS

# The rest of keras.ops (2026-12). Each family is one adapter module per engine,
# backends/<name>/<module>.py, and one conformance file, tests/backend/cases_<module>.py.
# An op written once in kfront/ops from contract ops instead is registered with
# ``kfront.ops._export.composite`` and listed in ``kfront.ops._export.COMPOSITE_OPS``.

# numpy_math.py: elementwise math, comparisons, reductions, NaN-aware and bitwise ops.
NUMPY_MATH_OPS = (
    "allclose", "angle", "arccos", "arccosh", "arcsin", "arcsinh", "arctan2", "arctanh",
    "average", "bincount", "bitwise_and", "bitwise_invert", "bitwise_left_shift", "bitwise_or",
    "bitwise_right_shift", "bitwise_xor", "cbrt", "conjugate", "corrcoef", "correlate", "cross",
    "cumprod", "deg2rad", "diff", "digitize", "divide_no_nan", "exp2", "fabs", "fmax", "fmin",
    "fmod", "gcd", "heaviside", "histogram", "hypot", "i0", "imag", "inner", "isclose", "isin",
    "isneginf", "isposinf", "isreal", "kron", "lcm", "ldexp", "log10", "log2", "logaddexp",
    "logaddexp2", "logical_xor", "median", "nan_to_num", "nanargmax", "nanargmin", "nancumprod",
    "nancumsum", "nanmax", "nanmean", "nanmedian", "nanmin", "nanprod", "nanquantile", "nanstd",
    "nansum", "nanvar", "nextafter", "ptp", "quantile", "rad2deg", "real", "reciprocal",
    "signbit", "sinc", "trace", "trapezoid", "trunc", "vdot",
)

# numpy_array.py: shape manipulation, indexing, creation, sorting, searching, set ops.
NUMPY_ARRAY_OPS = ("argpartition", "copy", "diag", "diagonal", "empty", "empty_like",
                   "geomspace", "get_item", "logspace", "nonzero", "roll", "searchsorted",
                   "tril", "triu", "unique", "unstack", "view")

# linalg.py: keras.ops.linalg.
LINALG_OPS = ("cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq",
              "lu_factor", "matrix_rank", "pinv", "qr", "solve", "solve_triangular", "svd",
              "logdet", "slogdet")

# signal.py: FFTs, STFT, window functions and the other keras.ops.math extras.
SIGNAL_OPS = ("fft", "fft2", "ifft2", "rfft", "irfft", "view_as_complex", "view_as_real")

# control_flow.py: cond, switch, loops, scans, maps, custom_gradient, slicing, scatter,
# segment reductions.
CONTROL_FLOW_OPS = ("cond", "switch", "while_loop", "fori_loop", "scan", "vectorized_map", "custom_gradient", "slice", "slice_update", "scatter", "scatter_update", "segment_sum", "segment_max", "segment_min", "segment_prod")

# nn_extra.py: the rest of keras.ops.nn.
NN_EXTRA_OPS = ("ctc_loss", "polar")

# image.py: engine kernels behind keras.ops.image.
IMAGE_KERNEL_OPS = ()

# Random ops driven by explicit seeds.
RANDOM_OPS = ("random_uniform", "random_normal", "random_truncated_normal", "random_randint",
              "random_dropout")

# random_extra.py: beta, binomial, categorical, gamma, shuffle.
RANDOM_EXTRA_OPS = ("random_beta", "random_binomial", "random_categorical", "random_gamma",
                    "random_shuffle")

# Variables: engine storage behind kfront.Variable.
VARIABLE_API = (
    "variable_create",   # (value, dtype, trainable, name, aggregation="mean") -> storage;
                         # aggregation ("mean", "sum", "only_first_replica", "none") says
                         # how replicas' writes combine under a distribution
    "variable_read",     # (storage) -> a tensor that engine autodiff tracks
    "variable_assign",   # (storage, value) -> None, in place
)

# Training machinery.
TRAINING_API = (
    "value_and_grad",       # (fn, variables, has_aux) -> (value, grads); fn takes no args
    "compile_step",         # (step_fn, state_variables, kind, jit_compile) -> callable(data)
    "compute_output_spec",  # (fn, *args of KerasTensor) -> KerasTensor structure
    "no_grad",              # context manager: ops inside record no gradient
    "name",                 # "torch" | "jax" | "tensorflow"
)

# Optional: ``register_variable_class(cls)`` is called once with ``kfront.Variable`` for
# engines that must learn to convert it; ``optimizer_kernels`` maps an optimizer class's
# ``_kernel_key`` ("sgd", "adam", "rmsprop") to a fused multi-tensor update
# ``fn(optimizer, grads, variables, learning_rate)``. ``distribution_lib`` is a module with
# ``list_devices, initialize, num_processes, process_id`` and ``Placement`` (see
# ``kfront.distribution``); without it an engine runs on one device.
OPTIONAL = ("register_variable_class", "optimizer_kernels", "distribution_lib",
            "lstm", "gru",  # fused recurrent kernels: see kfront/layers/rnn/_fused.py
            # layer_norm(x, gamma, beta, axes, epsilon) over trailing axes: see
            # kfront/layers/normalization/layer_normalization.py
            "layer_norm",
            # einsum_dense(equation, x, kernel, bias) = einsum + bias in one kernel: see
            # kfront/layers/core/einsum_dense.py and dense.py
            "einsum_dense",
            # conv_bias(inputs, kernel, bias, strides, padding, data_format, dilation_rate)
            # = conv + bias in one kernel: see kfront/layers/convolutional/base_conv.py
            "conv_bias",
            # batch_array(numpy_array, dtype, copy) -> what compiled steps take for a batch
            # array (default: convert_to_tensor): see kfront/trainers/data_adapters
            "batch_array",
            # runs_on_cpu() -> whether steps run on the host CPU (default: False, so array
            # batches are prefetched): see kfront/trainers/data_adapters/array_data_adapter.py
            "runs_on_cpu",
            # variable_set_trainable(storage, trainable) -> None: tells the engine a
            # variable was frozen or unfrozen (torch: requires_grad): see kfront.Variable
            "variable_set_trainable")

EXTRA_OPS = (NUMPY_MATH_OPS + NUMPY_ARRAY_OPS + LINALG_OPS + SIGNAL_OPS + CONTROL_FLOW_OPS
             + NN_EXTRA_OPS + IMAGE_KERNEL_OPS)

REQUIRED = (TENSOR_OPS + NUMPY_OPS + NN_OPS + MATH_OPS + LAYER_OPS + RANDOM_OPS + VARIABLE_API
            + TRAINING_API + EXTRA_OPS + RANDOM_EXTRA_OPS)


def missing_names(adapter):
    """Names of the contract an adapter module does not provide."""
    return [n for n in REQUIRED if not hasattr(adapter, n)]
