"""Seeded beta, binomial, categorical, gamma and shuffle draws (keras.random) on jax."""

__all__ = []
