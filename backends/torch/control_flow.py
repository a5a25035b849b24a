"""Control flow and functional transforms, slicing, scatter and segment reductions (keras.ops core and math) on torch."""

__all__ = []
