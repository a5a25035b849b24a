"""Core layers (classes are also exported by kfront.layers)."""
from kfront.layers.core.identity import Identity  # noqa: F401
from kfront.layers.core.masking import Masking  # noqa: F401
from kfront.layers.core.reversible_embedding import ReversibleEmbedding  # noqa: F401
from kfront.layers.core.wrapper import Wrapper  # noqa: F401
# kfront.layers star-imports this package: its serialize/deserialize come from here.
from kfront.layers.serialization import deserialize, serialize  # noqa: F401

__all__ = ["Identity", "Masking", "ReversibleEmbedding", "Wrapper", "deserialize", "serialize"]
