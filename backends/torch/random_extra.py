"""Seeded beta, binomial, categorical, gamma and shuffle draws (keras.random) on torch."""

__all__ = []
