"""LoRA (low-rank adaptation) for layers with one main weight (``Dense``'s and
``EinsumDense``'s kernel, ``Embedding``'s table).

``layer.enable_lora(rank)`` freezes the weight ``W`` and adds two trainable factors ``A``
(``W.shape[:-1] + (rank,)``) and ``B`` (``(rank, W.shape[-1])``); the layer then computes
with ``W + (lora_alpha / rank) * A @ B``. Saving writes that merged weight in ``W``'s
place, as Keras 3 does, so the file loads into a model without LoRA; loading zeroes
``A`` and ``B`` (the merged weight already holds them).
"""
import numpy as np

from kfront import initializers, ops


def check_lora_args(layer_name, lora_rank, lora_alpha):
    """``(lora_rank, lora_alpha)`` validated; ``lora_alpha`` defaults to the rank."""
    for arg, value in (("lora_rank", lora_rank), ("lora_alpha", lora_alpha)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or value <= 0 or (arg == "lora_rank" and
                                                    not isinstance(value, int))):
            kind = "a positive int" if arg == "lora_rank" else "a positive number"
            raise ValueError(f"{layer_name}: `{arg}` must be {kind} or None. Received: "
                             f"{arg}={value!r}")
    return lora_rank, (lora_alpha if lora_alpha is not None else lora_rank)


class StoredWeight:
    """What saving writes and loading assigns in place of one variable: ``read()`` gives
    the stored value, ``write(value)`` takes a loaded one. It has the variable's shape,
    dtype and path, so the weights file checks it as the variable itself."""

    def __init__(self, variable, read, write, shape=None):
        self.variable, self._read, self._write = variable, read, write
        self.shape = tuple(variable.shape if shape is None else shape)
        self.dtype, self.path = variable.dtype, variable.path

    def numpy(self):
        return np.asarray(ops.convert_to_numpy(self._read()))

    def assign(self, value):
        self._write(value)


class LoRAMixin:
    """``enable_lora`` and the merged weight, for a layer whose class names its main
    weight (``_lora_base``: "kernel" or "embeddings") and the prefix of the factors."""

    _lora_base = "kernel"

    def _init_lora(self, lora_rank, lora_alpha):
        self.lora_rank, self.lora_alpha = check_lora_args(type(self).__name__, lora_rank,
                                                          lora_alpha)
        self.lora_enabled = False

    @property
    def _lora_names(self):
        return f"lora_{self._lora_base}_a", f"lora_{self._lora_base}_b"

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        """Freezes the main weight and adds the trainable LoRA factors of rank ``rank``.

        Args:
            rank: the rank of the update ``A @ B`` (a positive int).
            lora_alpha: scales the update by ``lora_alpha / rank`` (default: ``rank``).
            a_initializer, b_initializer: initializers of ``A`` and ``B`` (B starts at zero,
                so the layer's outputs do not change until training).

        Raises:
            ValueError: with a weight constraint, before the layer is built, or when LoRA is
                already enabled.

        >>> layer = kfront.layers.Dense(8)
        >>> layer.build((None, 16))
        >>> layer.enable_lora(4)
        >>> [w.path for w in layer.trainable_weights]
        ['dense/bias', 'dense/lora_kernel_a', 'dense/lora_kernel_b']
        """
        name = type(self).__name__
        if getattr(self, f"{self._lora_base}_constraint", None):
            raise ValueError(f"Lora is incompatible with {self._lora_base.rstrip('s')} "
                             f"constraints. In order to enable lora on this layer, remove the "
                             f"`{self._lora_base.rstrip('s')}_constraint` argument.")
        if not self.built:
            raise ValueError("Cannot enable lora on a layer that isn't yet built.")
        if self.lora_enabled:
            raise ValueError("lora is already enabled. This can only be done once per layer.")
        rank, lora_alpha = check_lora_args(name, rank, lora_alpha)
        if rank is None:
            raise ValueError(f"{name}.enable_lora: `rank` must be a positive int. Received: "
                             "rank=None")
        base = getattr(self, self._lora_base)
        # The logical shape: an int4 weight is stored packed.
        shape = tuple(getattr(self, "_weight_shape", None) or base.shape)
        regularizer = getattr(self, f"{self._lora_base}_regularizer", None)
        a_name, b_name = self._lora_names
        # float32 factors: the updates are small and would underflow in half precision.
        setattr(self, a_name, self.add_weight(
            name=a_name, shape=shape[:-1] + (rank,), initializer=initializers.get(a_initializer),
            dtype="float32", regularizer=regularizer))
        setattr(self, b_name, self.add_weight(
            name=b_name, shape=(rank, shape[-1]), initializer=initializers.get(b_initializer),
            dtype="float32", regularizer=regularizer))
        base.trainable = False
        self.lora_enabled = True
        self.lora_rank, self.lora_alpha = rank, lora_alpha

    def _lora_factors(self):
        a_name, b_name = self._lora_names
        return getattr(self, a_name), getattr(self, b_name)

    def _lora_delta(self):
        """``(lora_alpha / rank) * A @ B``."""
        a, b = self._lora_factors()
        return ops.multiply(self.lora_alpha / self.lora_rank, ops.matmul(a.value, b.value))

    def _with_lora(self, weight):
        """``weight`` plus the LoRA update when LoRA is enabled, in the compute dtype."""
        if not self.lora_enabled:
            return weight
        return ops.cast(ops.add(weight, self._lora_delta()), self.compute_dtype)

    def _zero_lora(self):
        if self.lora_enabled:
            for factor in self._lora_factors():
                factor.assign(np.zeros(factor.shape, factor.dtype))

    def _weights_besides(self, *skipped):
        """The layer's weights but ``skipped`` and the LoRA factors, in order."""
        skip = {id(v) for v in skipped}
        if self.lora_enabled:
            skip.update(id(f) for f in self._lora_factors())
        return [w for w in self.weights if id(w) not in skip]

    def _loader(self, variable):
        """Assigns a loaded value to ``variable``; the LoRA factors restart at zero (the
        loaded weight holds their update already)."""
        def load(value):
            variable.assign(value)
            self._zero_lora()
        return load

    def _storage_variables(self):
        """What saving writes for this layer (see ``kfront.saving.h5_store``): with LoRA
        the merged weight first, then the other weights, as Keras 3 writes them."""
        if not self.lora_enabled:
            return self.weights
        base = getattr(self, self._lora_base)
        merged = StoredWeight(base, lambda: self._with_lora(base.value), self._loader(base))
        return [merged] + self._weights_besides(base)

    def _lora_config(self):
        return {"lora_rank": self.lora_rank, "lora_alpha": self.lora_alpha} \
            if self.lora_rank else {}
