"""``kfront.device("gpu:0")``: run the ops of a block on one device; ``KFRONT_DEVICE`` picks
the process default before kfront is imported. Device names are ``"cpu"``, ``"gpu"`` or
``"tpu"``, optionally with ``":index"``."""
import contextlib
import os
import re

_NAME = re.compile(r"^(cpu|gpu|tpu)(?::(\d+))?$")


def parse_device(name):
    """``("gpu", 0)`` from ``"gpu:0"``; a clear error for anything else."""
    match = _NAME.match(str(name).strip().lower())
    if match is None:
        raise ValueError(f"Invalid device name {name!r}: expected 'cpu', 'gpu' or 'tpu', "
                         "optionally followed by ':index' (e.g. 'gpu:0').")
    return match.group(1), int(match.group(2) or 0)


def device(device_name):
    """A context manager placing the block's tensors and ops on ``device_name``."""
    kind, index = parse_device(device_name)
    from kfront.backend.loader import adapter
    lib = getattr(adapter(), "distribution_lib", None)
    if lib is None:
        if kind != "cpu":
            raise ValueError(f"Device {device_name!r} is not available: this backend runs on "
                             "the CPU only.")
        return contextlib.nullcontext()
    return lib.device_scope(kind, index)


def default_device_from_env():
    """``KFRONT_DEVICE`` parsed, or ``None`` when unset."""
    value = os.environ.get("KFRONT_DEVICE")
    return parse_device(value) if value else None
