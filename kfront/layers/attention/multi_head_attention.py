"""``MultiHeadAttention``: scaled dot-product attention over several learned projections.

Weights match Keras 3's layer: four ``EinsumDense`` sublayers named ``query``, ``key``,
``value`` (kernels ``(dim, num_heads, head_dim)``, biases ``(num_heads, head_dim)``) and
``attention_output`` (kernel ``(num_heads, value_dim, out_dim)``, bias ``(out_dim,)``).
"""
import math
import string

from kfront import constraints, initializers, ops, regularizers
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.core.einsum_dense import EinsumDense, get_initializer
from kfront.layers.layer import Layer
from kfront.layers.regularization.dropout import Dropout


def _positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _shape_of(x):
    if x is None:
        return None
    if isinstance(x, KerasTensor) or hasattr(x, "shape") and not ops.is_tensor(x):
        return tuple(x.shape)
    return tuple(ops.shape(x))


def _projection_equation(free_dims, bound_dims, output_dims):
    """(equation, bias axes, output rank) of a projection: free axes pass through, bound
    axes are contracted with the kernel, output axes come from the kernel."""
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims:free_dims + bound_dims]
    out = letters[free_dims + bound_dims:free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{out}->{free}{out}", out, free_dims + output_dims


def _attention_equations(rank, attn_axes):
    """Einsum equations of the scores (key, query -> scores) and of the combination
    (scores, value -> output) for projected tensors of ``rank`` (heads before channels)."""
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch_dims = [i for i in range(rank) if i not in attn_axes and i != rank - 1]
    source, extra = "", rank
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += letters[extra]
            extra += 1
    product = ("".join(target[i] for i in batch_dims) + "".join(target[i] for i in attn_axes)
               + "".join(source[i] for i in attn_axes))
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


class MultiHeadAttention(Layer):
    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        if not _positive_int(num_heads):
            raise ValueError("MultiHeadAttention: `num_heads` must be a positive int, "
                             f"received num_heads={num_heads!r}.")
        if not _positive_int(key_dim):
            raise ValueError("MultiHeadAttention: `key_dim` must be a positive int, "
                             f"received key_dim={key_dim!r}.")
        if value_dim is not None and not _positive_int(value_dim):
            raise ValueError("MultiHeadAttention: `value_dim` must be a positive int or None, "
                             f"received value_dim={value_dim!r}.")
        if not 0 <= dropout <= 1:
            raise ValueError(f"MultiHeadAttention: `dropout` must be in [0, 1], received "
                             f"dropout={dropout!r}.")
        if sliding_window is not None and not _positive_int(sliding_window):
            raise ValueError("MultiHeadAttention: `sliding_window` must be None or a positive "
                             f"int, received sliding_window={sliding_window!r}.")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim or key_dim
        self._dropout = float(dropout)
        self._use_bias = use_bias
        self._use_gate = use_gate
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            if not isinstance(output_shape, (list, tuple)):
                raise ValueError("MultiHeadAttention: `output_shape` must be an int, a list or "
                                 f"a tuple, received output_shape={output_shape!r}.")
            output_shape = tuple(output_shape)
        self._output_shape = output_shape or None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError("MultiHeadAttention: `attention_axes` must be an int, a list or a "
                             f"tuple, received attention_axes={attention_axes!r}.")
        self._attention_axes = None if attention_axes is None else tuple(attention_axes)
        self._sliding_window = sliding_window
        self._kernel_initializer = get_initializer(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    # ---- building ----
    def _sublayer_kwargs(self):
        # Each projection gets its own initializer object, as in Keras.
        clone = lambda init: type(init).from_config(init.get_config()) \
            if hasattr(init, "get_config") else init  # noqa: E731
        return dict(kernel_initializer=clone(self._kernel_initializer),
                    bias_initializer=clone(self._bias_initializer),
                    kernel_regularizer=self._kernel_regularizer,
                    bias_regularizer=self._bias_regularizer,
                    kernel_constraint=self._kernel_constraint,
                    bias_constraint=self._bias_constraint, dtype=self.dtype)

    def _projection(self, rank, heads_dim, name, activation=None):
        equation, bias_axes, out_rank = _projection_equation(rank - 1, 1, 2)
        return EinsumDense(equation, output_shape=[None] * (out_rank - 3) + [
            self._num_heads, heads_dim], bias_axes=bias_axes if self._use_bias else None,
            activation=activation, name=name, **self._sublayer_kwargs())

    def _check_shapes(self, query_shape, value_shape, key_shape):
        if len(query_shape) < 3 or len(value_shape) < 3:
            raise ValueError(
                f'MultiHeadAttention "{self.name}": query and value must have rank 3 or more '
                f"(batch, positions..., features). Received: query shape {tuple(query_shape)}, "
                f"value shape {tuple(value_shape)}.")
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                f'MultiHeadAttention "{self.name}": all dimensions of `value` and `key`, '
                f"except the last one, must be equal. Received: value_shape={tuple(value_shape)} "
                f"and key_shape={tuple(key_shape)}.")
        if len(query_shape) != len(value_shape) or len(key_shape) != len(value_shape):
            raise ValueError(
                f'MultiHeadAttention "{self.name}": query, value and key must have the same '
                f"rank. Received: query shape {tuple(query_shape)}, value shape "
                f"{tuple(value_shape)}, key shape {tuple(key_shape)}.")
        for what, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if shape[-1] is None:
                raise ValueError(f'MultiHeadAttention "{self.name}": the last dimension of '
                                 f"`{what}` must be known, received shape {tuple(shape)}.")

    def build(self, query_shape, value_shape=None, key_shape=None):
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        query_shape, value_shape, key_shape = (tuple(s) for s in (query_shape, value_shape,
                                                                  key_shape))
        self._check_shapes(query_shape, value_shape, key_shape)
        rank = len(query_shape)
        self._query_dense = self._projection(rank, self._key_dim, "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._projection(rank, self._key_dim, "key")
        self._key_dense.build(key_shape)
        if self._use_gate:
            self._gate_dense = self._projection(rank, self._value_dim, "gate", "sigmoid")
            self._gate_dense.build(query_shape)
        self._value_dense = self._projection(rank, self._value_dim, "value")
        self._value_dense.build(value_shape)

        proj_rank = rank + 1
        axes = tuple(range(1, proj_rank - 2)) if self._attention_axes is None else tuple(
            a if a >= 0 else proj_rank - 1 + a for a in self._attention_axes)
        self._attn_axes = axes
        self._dot_product_equation, self._combine_equation, scores_rank = \
            _attention_equations(proj_rank, axes)
        self._norm_axes = tuple(range(scores_rank - len(axes), scores_rank))
        self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed, dtype=self.dtype)

        out_shape = self._output_shape or (query_shape[-1],)
        equation, bias_axes, out_rank = _projection_equation(rank - 1, 2, len(out_shape))
        self._output_dense = EinsumDense(
            equation, output_shape=[None] * (out_rank - 1 - len(out_shape)) + list(out_shape),
            bias_axes=bias_axes if self._use_bias else None, name="attention_output",
            **self._sublayer_kwargs())
        self._output_dense.build(query_shape[:-1] + (self._num_heads, self._value_dim))
        self.built = True

    def __call__(self, *args, **kwargs):
        if not self.built:
            # The projections need every input's shape, not only the first argument's.
            names = ("query", "value", "key")
            given = dict(zip(names, args))
            given.update({n: kwargs[n] for n in names if n in kwargs})
            if given.get("query") is not None and given.get("value") is not None:
                self.build(_shape_of(given["query"]), _shape_of(given["value"]),
                           _shape_of(given.get("key")))
                if self._initial_weights is not None:
                    self.set_weights(self._initial_weights)
                    self._initial_weights = None
        return super().__call__(*args, **kwargs)

    # ---- masks ----
    def _causal_mask(self, t, s):
        rows = ops.expand_dims(ops.arange(t, dtype="int32"), -1)
        cols = ops.expand_dims(ops.arange(s, dtype="int32"), 0)
        return ops.expand_dims(ops.greater_equal(rows, cols), 0)          # (1, T, S)

    def _sliding_window_mask(self, t, s):
        rows = ops.expand_dims(ops.arange(t, dtype="int32"), -1)
        cols = ops.expand_dims(ops.arange(s, dtype="int32"), 0)
        return ops.expand_dims(ops.less(ops.abs(rows - cols), self._sliding_window), 0)

    def _check_mask(self, what, mask, tensor_shape):
        shape = _shape_of(mask)
        want = tuple(tensor_shape[:-1])
        if len(shape) != len(want) or any(a is not None and b is not None and a != b
                                          for a, b in zip(shape, want)):
            raise ValueError(
                f'MultiHeadAttention "{self.name}": `{what}` must have the shape of its input '
                f"without the last axis, {want}; received shape {shape}.")

    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None,
                                key_mask=None, attention_mask=None, use_causal_mask=False):
        """The boolean mask (B, T, S) combining the input masks, the causal and sliding
        window masks and ``attention_mask``; None when there is none."""
        mask = None

        def both(a, b):
            return b if a is None else ops.logical_and(a, b)

        if query_mask is not None:
            mask = ops.expand_dims(ops.cast(query_mask, "bool"), -1)       # (B, T, 1)
        if value_mask is not None:
            mask = both(mask, ops.expand_dims(ops.cast(value_mask, "bool"), -2))
        if key_mask is not None:
            mask = both(mask, ops.expand_dims(ops.cast(key_mask, "bool"), -2))
        t, s = _shape_of(query)[1], _shape_of(value)[1]
        if use_causal_mask:
            mask = both(mask, self._causal_mask(t, s))
        if self._sliding_window is not None:
            mask = both(mask, self._sliding_window_mask(t, s))
        if attention_mask is not None:
            attention_mask = ops.cast(attention_mask, "bool")
            mask = attention_mask if mask is None else ops.logical_and(attention_mask, mask)
        return mask

    def compute_mask(self, inputs, mask=None):
        """The output keeps the query's mask."""
        if isinstance(mask, (list, tuple)):
            return mask[0] if mask else None
        return mask

    # ---- computing ----
    def _masked_softmax(self, scores, mask):
        if mask is not None:
            # Broadcast over the heads axis (and batch axes the mask lacks).
            axis = -len(self._attn_axes) * 2 - 1
            for _ in range(len(_shape_of(scores)) - len(_shape_of(mask))):
                mask = ops.expand_dims(mask, axis)
            scores = ops.where(mask, scores, -1e9 if self.dtype != "float16" else -3e4)
        if len(self._norm_axes) == 1:
            probs = ops.softmax(scores, axis=self._norm_axes[0])
        else:
            probs = ops.exp(scores - ops.logsumexp(scores, axis=self._norm_axes, keepdims=True))
        if mask is not None:
            probs = ops.where(mask, probs, 0.0)
        return probs

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        """Attention of projected (B, T, N, H) tensors: (output, scores or None)."""
        fused = not (self._dropout > 0.0 or return_attention_scores
                     or len(_shape_of(query)) != 4)
        if fused:
            if attention_mask is not None:
                while len(_shape_of(attention_mask)) < 4:
                    attention_mask = ops.expand_dims(attention_mask, -3)
            out = ops.dot_product_attention(query, key, value, mask=attention_mask,
                                            scale=self._inverse_sqrt_key_dim,
                                            is_causal=use_causal_mask)
            return out, None
        if use_causal_mask:
            causal = self._causal_mask(_shape_of(query)[1], _shape_of(value)[1])
            attention_mask = causal if attention_mask is None else ops.logical_and(
                attention_mask, causal)
        query = ops.multiply(query, self._inverse_sqrt_key_dim)
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        if key is None:
            key = value
        for what, m, x in (("query_mask", query_mask, query), ("value_mask", value_mask, value),
                           ("key_mask", key_mask, key)):
            if m is not None:
                self._check_mask(what, m, _shape_of(x))
        causal_only = (use_causal_mask and query_mask is None and value_mask is None
                       and key_mask is None and attention_mask is None
                       and self._sliding_window is None)
        if causal_only:
            # The engine's causal kernel, with no (T, S) mask materialized.
            mask = None
        else:
            mask = self._compute_attention_mask(query, value, query_mask, value_mask, key_mask,
                                                attention_mask, use_causal_mask)
        gate = self._gate_dense(query) if self._use_gate else None
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        out, scores = self._compute_attention(q, k, v, mask, training, return_attention_scores,
                                              use_causal_mask=causal_only)
        if gate is not None:
            out = ops.multiply(out, gate)
        out = self._output_dense(out)
        if return_attention_scores:
            return out, scores
        return out

    # ---- shapes and config ----
    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        value_shape = query_shape if value_shape is None else tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        self._check_shapes(query_shape, value_shape, key_shape)
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def _scores_shape(self, query_shape, value_shape):
        letters = {}
        source, target = self._dot_product_equation.split("->")[0].split(",")
        for c, d in zip(target, tuple(query_shape[:-1]) + (self._num_heads, self._key_dim)):
            letters[c] = d
        for c, d in zip(source, tuple(value_shape[:-1]) + (self._num_heads, self._key_dim)):
            letters.setdefault(c, d)
        return tuple(letters[c] for c in self._dot_product_equation.split("->")[1])

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None,
                            key_mask=None, attention_mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        shape = self.compute_output_shape(query.shape, value.shape,
                                          None if key is None else key.shape)
        out = KerasTensor(shape, dtype=self.dtype)
        if return_attention_scores:
            return out, KerasTensor(self._scores_shape(query.shape, value.shape),
                                    dtype=self.dtype)
        return out

    def get_config(self):
        return {**super().get_config(), "num_heads": self._num_heads, "key_dim": self._key_dim,
                "value_dim": self._value_dim, "dropout": self._dropout,
                "use_bias": self._use_bias, "use_gate": self._use_gate,
                "output_shape": self._output_shape, "attention_axes": self._attention_axes,
                "sliding_window": self._sliding_window,
                "kernel_initializer": initializers.serialize(self._kernel_initializer),
                "bias_initializer": initializers.serialize(self._bias_initializer),
                "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self._bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self._kernel_constraint),
                "bias_constraint": constraints.serialize(self._bias_constraint),
                "seed": self.seed}
