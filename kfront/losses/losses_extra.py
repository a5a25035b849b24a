"""Circle loss (metric learning on unit-norm embeddings) and the generalized
crossentropy for noisy labels."""
import numbers

from kfront import ops
from kfront.losses.losses import _BuiltinLoss


def _pos_neg_masks(labels, ref_labels, remove_diagonal):
    """Boolean ``(n, m)`` masks of same-label and other-label pairs."""
    same = ops.equal(ops.reshape(labels, (-1, 1)), ops.reshape(ref_labels, (1, -1)))
    other = ops.logical_not(same)
    if remove_diagonal:
        n, m = ops.shape(same)
        same = ops.logical_and(same, ops.logical_not(ops.cast(ops.eye(n, m), "bool")))
    return same, other


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True,
           gamma=80, margin=0.4):
    """Circle loss of each embedding in ``y_pred`` against the reference embeddings.

    Pairs are scored by cosine distance ``d`` (embeddings should be L2-normalised);
    positives (same label) are pulled below ``margin``, negatives pushed above
    ``1 - margin``, each pair weighted by how far it is from its optimum, scaled by
    ``gamma``: ``softplus(logsumexp(pos) + logsumexp(neg))`` per row.

    Args:
        y_true: integer labels, shape ``(batch,)``.
        y_pred: embeddings, shape ``(batch, dim)``.
        ref_labels / ref_embeddings: the reference set (default: the batch itself).
        remove_diagonal: leave each embedding's pair with itself out of the positives.
        gamma: the scale of the similarity scores.
        margin: the relaxation factor.

    Returns:
        One loss per row of ``y_pred``; rows without any positive pair get 0.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, "int32")
    refs = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else ops.cast(ref_labels, "int32")
    distances = ops.maximum(1.0 - ops.matmul(y_pred, ops.transpose(refs)), 0.0)
    positive, negative = _pos_neg_masks(y_true, ref_labels, remove_diagonal)
    dtype = ops.dtype(distances)
    pos_weights = ops.maximum((margin + distances) * ops.cast(positive, dtype), 0.0)
    neg_weights = ops.maximum((1.0 + margin - distances) * ops.cast(negative, dtype), 0.0)
    pos_scores = -gamma * pos_weights * (margin - distances)
    neg_scores = gamma * neg_weights * ((1.0 - margin) - distances)
    minus_inf = ops.full_like(distances, float("-inf"))
    pos_loss = ops.logsumexp(ops.where(positive, pos_scores, minus_inf), axis=1)
    neg_loss = ops.logsumexp(ops.where(negative, neg_scores, minus_inf), axis=1)
    return ops.softplus(pos_loss + neg_loss)


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized crossentropy ``(1 - p ** q) / q``, ``p`` the probability ``y_pred``
    gives the true class (``y_true``: integer indices, ``(batch,)`` or ``(batch, 1)``).
    ``q`` near 0 behaves like crossentropy, near 1 like mean absolute error."""
    y_pred = ops.convert_to_tensor(y_pred)
    labels = ops.cast(y_true, "int32")
    if len(ops.shape(labels)) == len(ops.shape(y_pred)):
        labels = ops.squeeze(labels, -1)
    one_hot = ops.one_hot(labels, ops.shape(y_pred)[-1], dtype=ops.dtype(y_pred))
    p = ops.sum(y_pred * one_hot, axis=-1)
    return (1.0 - ops.power(p, q)) / q


FUNCTIONS = {f.__name__: f for f in (circle, categorical_generalized_cross_entropy)}


class Circle(_BuiltinLoss):
    """Circle loss between integer labels and L2-normalised embeddings (see ``circle``).

    The average leaves out rows without any positive pair (their loss is 0).

    Args:
        gamma: the scale of the similarity scores (default 80).
        margin: the relaxation factor (default 0.4).
        remove_diagonal: leave self-pairs out of the positives.
        reduction, name, dtype: as for every ``Loss``.

    Example: ``model.compile(loss=kfront.losses.Circle())`` on a model ending in
    ``Dense(64)`` then ``UnitNormalization()``.
    """

    _config_keys = ("gamma", "margin", "remove_diagonal")
    _index_targets = True

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        for key, value in (("gamma", gamma), ("margin", margin)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"Circle: `{key}` must be a number, received "
                                 f"{key}={value!r}.")
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)

    def call_with_mask(self, y_true, y_pred):
        losses = self.call(y_true, y_pred)
        return losses, ops.greater(losses, 0.0)


class CategoricalGeneralizedCrossEntropy(_BuiltinLoss):
    """Generalized crossentropy ``(1 - p ** q) / q`` for integer labels and class
    probabilities, robust to noisy labels.

    Args:
        q: the noise parameter, in (0, 1) (default 0.5).
        reduction, name, dtype: as for every ``Loss``.
    """

    _config_keys = ("q",)
    _index_targets = True

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0 < q < 1:
            raise ValueError(f"CategoricalGeneralizedCrossEntropy: `q` must be in the "
                             f"interval (0, 1), received q={q!r}.")
        super().__init__(categorical_generalized_cross_entropy, name=name,
                         reduction=reduction, dtype=dtype, q=q)
