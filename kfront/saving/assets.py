"""Layer assets in Keras 3 archives: ``assets/layers/<key>/...`` members (a lookup layer's
``vocabulary.txt`` when its vocabulary was adapted). They are the archive's own bytes, read
by exact name with the config size limit; nothing outside the file is ever opened."""
from kfront.saving import h5_store, load_limits

PREFIX = "assets/"


def read_assets(archive):
    """``{member name: bytes}`` of every asset in ``archive``."""
    limit = load_limits.limit("max_config_bytes")
    return {name: archive.read(name, limit) for name in archive.names()
            if name.startswith(PREFIX) and not name.endswith("/")}


def load_assets(model, assets):
    """Gives each layer with a ``load_assets_from(files)`` method the files stored under its
    path (``{"vocabulary.txt": bytes, ...}``)."""
    if not assets:
        return
    _walk(model, assets, PREFIX)


def _walk(layer, assets, prefix):
    children = h5_store._child_layers(layer)
    if children is None:
        return
    for key, child in h5_store.layer_keys(children):
        folder = f"{prefix}layers/{key}/"
        files = {name[len(folder):]: data for name, data in assets.items()
                 if name.startswith(folder) and "/" not in name[len(folder):]}
        if files and hasattr(child, "load_assets_from"):
            child.load_assets_from(files)
        _walk(child, assets, folder)
