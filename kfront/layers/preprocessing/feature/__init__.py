"""Feature preprocessing layers: normalization, lookups, hashing, encodings, text vectorization."""
__all__ = []
