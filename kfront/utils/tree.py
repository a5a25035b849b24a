"""The nested-structure helpers kfront uses internally: ``kfront.tree``'s, one
implementation (engine adapters import this module while loading)."""
from kfront.tree.tree_api import (  # noqa: F401
    flatten, is_nested, map_structure, pack_sequence_as,
)
