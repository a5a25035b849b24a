"""Seeded beta, binomial, categorical, gamma and shuffle draws (keras.random) on tensorflow."""

__all__ = []
