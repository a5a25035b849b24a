"""``kfront.preprocessing.sequence``: the Keras path of ``pad_sequences``."""
from kfront.utils.sequence_utils import pad_sequences

__all__ = ["pad_sequences"]
