"""Builders of hostile model files for the security tests: a genuine file from kfront, then
one member or attribute rewritten the way an attacker would."""
import io
import json
import zipfile

import h5py


def rewrite_member(path, name, data, compress=zipfile.ZIP_DEFLATED):
    """Replaces member ``name`` of the zip at ``path`` with ``data``."""
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members[name] = data
    with zipfile.ZipFile(path, "w", compression=compress) as z:
        for n, d in members.items():
            z.writestr(n, d)


def edit_archive_config(path, edit):
    """Applies ``edit(config)`` to config.json of a .kfront/.keras archive."""
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
    edit(config)
    rewrite_member(path, "config.json", json.dumps(config).encode())


def edit_h5_config(path, edit):
    """Applies ``edit(config)`` to the ``model_config`` of a legacy .h5 model file."""
    with h5py.File(path, "r+") as f:
        raw = f.attrs["model_config"]
        config = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
        edit(config)
        f.attrs["model_config"] = json.dumps(config)


def layers_of(config):
    """The layer configs of a (Sequential or Functional) model config, in place."""
    inner = config["config"]
    return inner["layers"]


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for n, d in members.items():
            z.writestr(n, d)
    return buffer.getvalue()
