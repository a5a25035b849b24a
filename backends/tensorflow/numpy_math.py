"""Elementwise math, comparisons, reductions, NaN-aware and bitwise ops (keras.ops.numpy) on tensorflow."""

__all__ = []
