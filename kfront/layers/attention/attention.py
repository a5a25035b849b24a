"""``Attention``: dot-product (Luong-style) attention of a query over a value sequence.

Called on ``[query, value]`` or ``[query, value, key]`` (key defaults to value), shapes
``(batch, Tq, dim)``, ``(batch, Tv, dim)``; returns ``(batch, Tq, dim)``.
"""
from kfront import ops, random
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.layer import Layer
from kfront.random.seed_generator import SeedGenerator


def _shape_of(x):
    if isinstance(x, KerasTensor) or (hasattr(x, "shape") and not ops.is_tensor(x)):
        return tuple(x.shape)
    return tuple(ops.shape(x))


class Attention(Layer):
    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"{type(self).__name__}: invalid value for argument score_mode. "
                             "Expected one of {'dot', 'concat'}. "
                             f"Received: score_mode={score_mode!r}")
        if not 0 <= dropout <= 1:
            raise ValueError(f"{type(self).__name__}: `dropout` must be in [0, 1], received "
                             f"dropout={dropout!r}.")
        self.supports_masking = True
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if dropout > 0:
            self.seed_generator = SeedGenerator(seed)
        self.scale = None
        self.concat_score_weight = None

    # ---- validation ----
    def _validate(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            got = inputs if isinstance(inputs, str) else \
                f"a single input of shape {_shape_of(inputs)}"
            raise ValueError(f'{name} layer "{self.name}" must be called on a list of inputs, '
                             f"namely [query, value] or [query, value, key]. Received: {got}.")
        if not 2 <= len(inputs) <= 3:
            raise ValueError(f'{name} layer "{self.name}" accepts an inputs list of length 2 '
                             f"or 3, namely [query, value] or [query, value, key]. Received "
                             f"length: {len(inputs)}.")
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(f'{name} layer "{self.name}": mask must be a list, namely '
                                 f"[query_mask, value_mask]. Received: mask={mask!r}.")
            if not 2 <= len(mask) <= 3:
                raise ValueError(f'{name} layer "{self.name}" accepts a mask list of length 2 '
                                 f"or 3. Received length: {len(mask)}.")
            for what, m, x in zip(("query_mask", "value_mask"), mask[:2], inputs[:2]):
                if m is not None and not isinstance(x, (str, tuple)):
                    _check_mask_shape(name, self.name, what, _shape_of(m), _shape_of(x))

    def _validate_shapes(self, input_shape):
        """``build``'s argument: a list of 2 or 3 shapes (a single shape is one tensor)."""
        if isinstance(input_shape, (list, tuple)) and not all(
                isinstance(s, (list, tuple)) for s in input_shape):
            input_shape = f"a tensor of shape {tuple(input_shape)}"
        self._validate(input_shape)
        self._check_shapes([tuple(s) for s in input_shape])

    def _check_shapes(self, shapes):
        name = type(self).__name__
        query, value = shapes[0], shapes[1]
        key = shapes[2] if len(shapes) > 2 else value
        for what, s in (("query", query), ("value", value), ("key", key)):
            if len(s) < 2:
                raise ValueError(f'{name} layer "{self.name}": `{what}` must have rank 2 or '
                                 f"more (batch..., positions, dim), received shape {s}.")
        if query[-1] is not None and key[-1] is not None and query[-1] != key[-1]:
            raise ValueError(f'{name} layer "{self.name}": query and key must have the same '
                             f"last dimension, received query shape {query} and key shape {key}.")
        if value[-2] is not None and key[-2] is not None and value[-2] != key[-2]:
            raise ValueError(f'{name} layer "{self.name}": value and key must have the same '
                             f"length, received value shape {value} and key shape {key}.")

    # ---- building ----
    def build(self, input_shape):
        self._validate_shapes(input_shape)
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(),
                                                       initializer="ones")
        self.built = True

    # ---- computing ----
    def _calculate_scores(self, query, key):
        """Scores of shape (batch, Tq, Tv)."""
        if self.score_mode == "dot":
            rank = len(_shape_of(key))
            scores = ops.matmul(query, ops.transpose(
                key, tuple(range(rank - 2)) + (rank - 1, rank - 2)))
            if self.scale is not None:
                scores = ops.multiply(scores, self.scale.value)
            return scores
        q = ops.expand_dims(query, -2)                                     # (B, Tq, 1, d)
        k = ops.expand_dims(key, -3)                                       # (B, 1, Tv, d)
        x = q + k
        if self.scale is not None:
            x = ops.multiply(self.scale.value, x)
        return ops.multiply(self.concat_score_weight.value, ops.sum(ops.tanh(x), axis=-1))

    def _apply_scores(self, scores, value, scores_mask=None, training=None):
        if scores_mask is not None:
            # A finite penalty (not -inf): a fully masked row stays a valid distribution.
            penalty = 65504.0 if ops.dtype(scores) == "float16" else 1.0e9
            scores = ops.where(scores_mask, scores, scores - penalty)
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.matmul(weights, value), weights

    def _score_mask(self, scores, value_mask, use_causal_mask):
        mask = None
        if value_mask is not None:
            mask = ops.expand_dims(ops.cast(value_mask, "bool"), -2)       # (B, 1, Tv)
        if use_causal_mask:
            shape = _shape_of(scores)
            rows = ops.expand_dims(ops.arange(shape[-2], dtype="int32"), -1)
            cols = ops.expand_dims(ops.arange(shape[-1], dtype="int32"), 0)
            causal = ops.expand_dims(ops.greater_equal(rows, cols), 0)     # (1, Tq, Tv)
            mask = causal if mask is None else ops.logical_and(mask, causal)
        return mask

    def call(self, inputs, mask=None, training=None, return_attention_scores=False,
             use_causal_mask=False):
        self._validate(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)
        scores_mask = self._score_mask(scores, value_mask, use_causal_mask)
        output, weights = self._apply_scores(scores, value, scores_mask, training)
        if query_mask is not None:
            output = ops.where(ops.expand_dims(ops.cast(query_mask, "bool"), -1), output, 0.0)
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs, mask=None):
        """The output keeps the query's mask."""
        self._validate(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    # ---- shapes and config ----
    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape[0])[:-1], tuple(input_shape[1])[-1])

    def compute_output_spec(self, inputs, mask=None, training=None, return_attention_scores=False,
                            use_causal_mask=False):
        self._validate(inputs, mask)
        shapes = [tuple(x.shape) for x in inputs]
        self._check_shapes(shapes)
        out = KerasTensor(self.compute_output_shape(shapes), dtype=self.dtype)
        if return_attention_scores:
            key = shapes[2] if len(shapes) > 2 else shapes[1]
            return out, KerasTensor((*shapes[0][:-1], key[-2]), dtype=self.dtype)
        return out

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale,
                "score_mode": self.score_mode, "dropout": self.dropout, "seed": self.seed}


def _check_mask_shape(cls, layer, what, shape, input_shape):
    want = tuple(input_shape[:-1])
    if len(shape) != len(want) or any(a is not None and b is not None and a != b
                                      for a, b in zip(shape, want)):
        raise ValueError(f'{cls} layer "{layer}": `{what}` must have the shape of its input '
                         f"without the last axis, {want}; received shape {tuple(shape)}.")
