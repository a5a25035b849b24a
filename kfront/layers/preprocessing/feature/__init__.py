"""Feature preprocessing layers: normalization, lookups, hashing, encodings, text vectorization.

Numeric layers (``Normalization``, ``Discretization``, ``CategoryEncoding``,
``IntegerLookup``) compute with ``kfront.ops`` and work inside models on every backend.
String layers (``StringLookup``, ``TextVectorization``, ``Hashing``) run on the host over
NumPy strings and return engine tensors; they belong in the input pipeline.
"""
from kfront.layers.preprocessing.feature.category_encoding import CategoryEncoding
from kfront.layers.preprocessing.feature.discretization import Discretization
from kfront.layers.preprocessing.feature.hashing import Hashing
from kfront.layers.preprocessing.feature.integer_lookup import IntegerLookup
from kfront.layers.preprocessing.feature.normalization import Normalization
from kfront.layers.preprocessing.feature.string_lookup import StringLookup
from kfront.layers.preprocessing.feature.text_vectorization import TextVectorization

__all__ = ["CategoryEncoding", "Discretization", "Hashing", "IntegerLookup", "Normalization",
           "StringLookup", "TextVectorization"]
