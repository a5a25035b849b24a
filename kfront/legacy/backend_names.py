"""The Keras 2 backend function names ``kfront.legacy.backend`` defines (kept apart, with no
imports, so ``kfront.backend`` can list them while the adapter is still loading)."""

NAMES = (
    "abs", "all", "any", "arange", "argmax", "argmin", "batch_dot", "batch_flatten",
    "batch_get_value", "batch_set_value", "bias_add", "binary_crossentropy", "cast",
    "categorical_crossentropy", "clip", "concatenate", "constant", "cos", "count_params",
    "cumprod", "cumsum", "dot", "dropout", "dtype", "elu", "equal", "eval", "exp",
    "expand_dims", "eye", "flatten", "gather", "get_value", "greater", "greater_equal",
    "hard_sigmoid", "in_top_k", "int_shape", "is_sparse", "l2_normalize", "learning_phase",
    "less", "less_equal", "log", "logsumexp", "max", "maximum", "mean", "min", "minimum",
    "ndim", "not_equal", "one_hot", "ones", "ones_like", "permute_dimensions", "pow", "prod",
    "random_bernoulli", "random_normal", "random_uniform", "relu", "repeat_elements",
    "reshape", "reverse", "round", "set_learning_phase", "set_value", "shape", "sigmoid",
    "sign", "sin", "softmax", "softplus", "softsign", "sparse_categorical_crossentropy",
    "sqrt", "square", "squeeze", "stack", "std", "stop_gradient", "sum", "switch", "tanh",
    "tile", "transpose", "truncated_normal", "update", "update_add", "update_sub", "var",
    "variable", "zeros", "zeros_like",
)
