"""``ReversibleEmbedding``: an ``Embedding`` that also maps vectors back to logits over
the vocabulary (``reverse=True``), with tied or separate weights."""
from kfront import ops
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.core.embedding import Embedding


class ReversibleEmbedding(Embedding):
    """Ids to vectors, and (``layer(h, reverse=True)``) vectors to vocabulary logits.

    Args:
        input_dim: the vocabulary size.
        output_dim: the embedding size.
        tie_weights: the reverse projection is the transposed embedding table; otherwise a
            separate ``reverse_embeddings`` weight of shape ``(output_dim, input_dim)``.
        embeddings_initializer / embeddings_regularizer / embeddings_constraint / mask_zero:
            as for ``Embedding``.
        reverse_dtype: the dtype the reverse matmul runs in (e.g. "float32" under a
            mixed policy); None keeps the compute dtype.
        logit_soft_cap: if set, logits become ``tanh(logits / cap) * cap``.

    Example::

        emb = ReversibleEmbedding(1000, 64)
        h = emb(token_ids)                # (batch, seq, 64)
        logits = emb(h, reverse=True)     # (batch, seq, 1000)
    """

    def __init__(self, input_dim, output_dim, tie_weights=True,
                 embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer,
                         embeddings_constraint=embeddings_constraint, mask_zero=mask_zero,
                         **kwargs)
        if logit_soft_cap is not None and (isinstance(logit_soft_cap, bool) or not isinstance(
                logit_soft_cap, (int, float)) or logit_soft_cap <= 0):
            raise ValueError("ReversibleEmbedding: `logit_soft_cap` must be None or a positive "
                             f"number, received logit_soft_cap={logit_soft_cap!r}.")
        self.tie_weights = bool(tie_weights)
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                name="reverse_embeddings", shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer, trainable=True)
        self.built = True

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        kernel = ops.transpose(self.embeddings.value) if self.tie_weights \
            else self.reverse_embeddings.value
        if self.reverse_dtype is not None:
            inputs = ops.cast(inputs, self.reverse_dtype)
            kernel = ops.cast(kernel, self.reverse_dtype)
        logits = ops.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            cap = self.logit_soft_cap
            logits = ops.multiply(ops.tanh(ops.divide(logits, cap)), cap)
        return logits

    def compute_mask(self, inputs, mask=None):
        # Only ids carry padding: a reverse call (float vectors in) gives no mask.
        if "int" not in ops.dtype(inputs):
            return None
        return super().compute_mask(inputs, mask)

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return tuple(input_shape[:-1]) + (self.input_dim,)
        return tuple(input_shape) + (self.output_dim,)

    def compute_output_spec(self, inputs, reverse=False):
        dtype = self.reverse_dtype if reverse and self.reverse_dtype else self.dtype
        return KerasTensor(self.compute_output_shape(inputs.shape, reverse), dtype=dtype)

    def get_config(self):
        return {**super().get_config(), "tie_weights": self.tie_weights,
                "reverse_dtype": self.reverse_dtype, "logit_soft_cap": self.logit_soft_cap}
