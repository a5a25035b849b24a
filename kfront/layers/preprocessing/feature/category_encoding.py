"""``CategoryEncoding``: integer categories to one-hot, multi-hot or count vectors."""
from kfront import ops
from kfront.layers.layer import Layer
from kfront.layers.preprocessing.feature import encoding


class CategoryEncoding(Layer):
    """Encodes integer ids in ``[0, num_tokens)``.

    Args:
        num_tokens: the number of categories (the output width).
        output_mode: ``"one_hot"`` (one row per id; a trailing axis of 1 is dropped),
            ``"multi_hot"`` (default: 1 for every id present in a sample's last axis) or
            ``"count"`` (how often each id occurs; ``count_weights`` weighs them).
        sparse: must be False (kfront has no sparse outputs).

    Ids outside the range give all-zero contributions (Keras raises where it can check);
    no check runs inside the step, which would need a host sync.

    >>> CategoryEncoding(num_tokens=4, output_mode="multi_hot")(np.array([[0, 1], [1, 3]]))
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"  # the Keras 2.6 name
        encoding.check_output_mode("CategoryEncoding", output_mode,
                                   ("one_hot", "multi_hot", "count"))
        if num_tokens is None:
            raise ValueError("CategoryEncoding: `num_tokens` must be set, e.g. "
                             "CategoryEncoding(num_tokens=10).")
        if not isinstance(num_tokens, int) or num_tokens < 1:
            raise ValueError("CategoryEncoding: `num_tokens` must be >= 1. Received: "
                             f"num_tokens={num_tokens!r}.")
        if sparse:
            raise ValueError("CategoryEncoding: `sparse=True` is not supported; kfront "
                             "produces dense outputs only.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = False

    def call(self, inputs, count_weights=None):
        x = ops.convert_to_tensor(inputs)
        if "int" not in ops.dtype(x):
            x = ops.cast(x, "int32")
        if count_weights is not None and self.output_mode != "count":
            raise ValueError("CategoryEncoding: `count_weights` is only used with "
                             "output_mode='count'.")
        dtype = self.dtype if "float" in self.dtype else "float32"
        return encoding.encode(x, self.output_mode, self.num_tokens, dtype, count_weights)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode, "sparse": self.sparse}
