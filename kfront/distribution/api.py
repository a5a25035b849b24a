"""Module functions of ``kfront.distribution``: devices, processes and the current
distribution. Engine work is delegated to the adapter's optional ``distribution_lib``."""
import os

_STATE = {"distribution": None, "variables_before": None}


def _lib():
    from kfront.backend.loader import adapter
    return getattr(adapter(), "distribution_lib", None)


def list_devices(device_type=None):
    """Devices as ``"cpu:0"``, ``"gpu:1"``...: accelerators when present, else CPUs (the
    engine's virtual CPU devices count, e.g. JAX's ``--xla_force_host_platform_device_count``)."""
    if device_type is not None and str(device_type).lower() not in ("cpu", "gpu", "tpu"):
        raise ValueError(f"list_devices: device_type must be 'cpu', 'gpu' or 'tpu', received "
                         f"{device_type!r}.")
    lib = _lib()
    return lib.list_devices(device_type) if lib is not None else ["cpu:0"]


def get_device_count(device_type=None):
    return len(list_devices(device_type))


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Joins a multi-process job. Arguments default to the environment variables
    ``KFRONT_DISTRIBUTION_JOB_ADDRESSES``, ``..._NUM_PROCESSES``, ``..._PROCESS_ID`` (the
    ``KERAS_DISTRIBUTION_*`` names are read too), then to what the engine's own launcher
    set (``torchrun``'s ``RANK``/``WORLD_SIZE``, ``TF_CONFIG``)."""
    def env(name):
        return os.environ.get(f"KFRONT_DISTRIBUTION_{name}",
                              os.environ.get(f"KERAS_DISTRIBUTION_{name}"))
    job_addresses = job_addresses or env("JOB_ADDRESSES")
    num_processes = num_processes if num_processes is not None else env("NUM_PROCESSES")
    process_id = process_id if process_id is not None else env("PROCESS_ID")
    num_processes = int(num_processes) if num_processes is not None else None
    process_id = int(process_id) if process_id is not None else None
    if num_processes is not None and process_id is not None and \
            not 0 <= process_id < num_processes:
        raise ValueError(f"initialize: process_id must be in [0, {num_processes}), received "
                         f"{process_id}.")
    lib = _lib()
    if lib is None or not hasattr(lib, "initialize"):
        from kfront.backend.loader import adapter
        raise NotImplementedError(f"Multi-process training is not supported on the "
                                  f"{adapter().name} backend.")
    lib.initialize(job_addresses, num_processes, process_id)


def num_processes():
    lib = _lib()
    return int(lib.num_processes()) if lib is not None else 1


def process_id():
    lib = _lib()
    return int(lib.process_id()) if lib is not None else 0


def is_chief():
    """Whether this is process 0, the one that prints progress and writes files."""
    return process_id() == 0


def distribution():
    """The distribution set by ``set_distribution`` or a ``scope()``, or ``None``."""
    return _STATE["distribution"]


def set_distribution(value):
    """Sets the distribution for models created from now on. Models whose variables exist
    already are refused when they train (their variables were placed without it)."""
    from kfront.distribution.distributions import Distribution
    if value is not None and not isinstance(value, Distribution):
        raise ValueError(f"set_distribution expects a kfront.distribution.Distribution or None, "
                         f"received {type(value).__name__}.")
    from kfront.backend.variable import Variable
    _STATE["distribution"] = value
    _STATE["variables_before"] = Variable._created if value is not None else None


def _restore(previous):
    _STATE["distribution"] = previous


def check_created_under(variables):
    """Raises when a distribution is set but ``variables`` were created before it was."""
    mark = _STATE["variables_before"]
    if _STATE["distribution"] is None or mark is None:
        return
    early = [v.path for v in variables if getattr(v, "_creation_index", mark) < mark]
    if early:
        raise ValueError(
            f"The distribution was set after the model's variables were created "
            f"({early[:5]}{' ...' if len(early) > 5 else ''}). Call "
            "`kfront.distribution.set_distribution(...)` (or enter `distribution.scope()`) "
            "before building the model, then build and compile it.")
