"""Resolving Keras identifiers (a name, a config dict, an object) with one clear error."""
import difflib


def resolve(identifier, table, kind, allow_callable=True):
    """Looks ``identifier`` up in ``table`` ({name: class or function}).

    Strings match names case-insensitively and in snake or Camel case; a dict is a
    ``{"class_name": ..., "config": ...}`` config; a callable passes through.
    """
    if isinstance(identifier, dict):
        cls = resolve(identifier.get("class_name"), table, kind)
        return cls.from_config(identifier.get("config", {}))
    if isinstance(identifier, str):
        key = identifier.replace("_", "").lower()
        for name, obj in table.items():
            if name.replace("_", "").lower() == key:
                return obj
        close = difflib.get_close_matches(identifier, list(table), n=3)
        hint = f" Did you mean {close}?" if close else ""
        raise ValueError(
            f"Unknown {kind}: {identifier!r}.{hint} Expected one of: {sorted(table)}, "
            f"a {kind} object or a callable."
        )
    if allow_callable and callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret {kind} identifier: {identifier!r}. Expected a string name, a "
        f"config dict, or a {kind} object/callable."
    )
