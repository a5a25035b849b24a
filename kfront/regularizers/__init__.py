"""``kfront.regularizers``: penalties on weights, added to the training loss."""
from kfront import ops
from kfront.utils.lookup import resolve


class Regularizer:
    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    def __init__(self, l1=0.0, l2=0.0):
        for name, value in (("l1", l1), ("l2", l2)):
            if value < 0:
                raise ValueError(f"{type(self).__name__}: `{name}` must be >= 0, received {value}.")
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        total = 0.0
        if self.l1:
            total = total + self.l1 * ops.sum(ops.abs(x))
        if self.l2:
            total = total + self.l2 * ops.sum(ops.square(x))
        return total

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Penalizes non-orthogonal rows (``mode="rows"``) or columns of a 2-D weight: the mean
    absolute cosine similarity between distinct pairs, times ``factor``."""

    def __init__(self, factor=0.01, mode="rows"):
        if mode not in ("rows", "columns"):
            raise ValueError("OrthogonalRegularizer: `mode` must be 'rows' or 'columns'. "
                             f"Received: mode={mode!r}")
        self.factor = float(factor)
        self.mode = mode

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        shape = ops.shape(x)
        if len(shape) != 2:
            raise ValueError("OrthogonalRegularizer: inputs must have rank 2. Received: "
                             f"inputs.shape={tuple(shape)}")
        axis = 1 if self.mode == "rows" else 0
        norm = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
        x = x / ops.maximum(norm, 1e-7)
        product = ops.matmul(x, ops.transpose(x)) if axis == 1 else \
            ops.matmul(ops.transpose(x), x)
        size = shape[0] if axis == 1 else shape[1]
        off_diagonal = product * (1.0 - ops.eye(size, dtype=ops.dtype(x)))
        pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * ops.sum(ops.abs(off_diagonal)) / pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1, l2, l1_l2, orthogonal_regularizer = L1, L2, L1L2, OrthogonalRegularizer
_ALL = {"L1": L1, "L2": L2, "L1L2": L1L2, "l1": L1, "l2": L2, "l1_l2": L1L2,
        "OrthogonalRegularizer": OrthogonalRegularizer,
        "orthogonal_regularizer": OrthogonalRegularizer}


def get(identifier):
    if identifier is None:
        return None
    obj = resolve(identifier, _ALL, "regularizer")
    return obj() if isinstance(obj, type) else obj


def serialize(regularizer):
    if regularizer is None:
        return None
    if not isinstance(regularizer, Regularizer):
        raise ValueError(f"Cannot serialize regularizer {regularizer!r}: it is not a "
                         "kfront.regularizers.Regularizer.")
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config):
    return get(config)
