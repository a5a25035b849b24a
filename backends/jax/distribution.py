"""Distribution on JAX: a ``DeviceMesh`` becomes a ``jax.sharding.Mesh``, layouts become
``NamedSharding``s; state and batches are placed with them and ``jax.jit`` partitions the
step (GSPMD), so the step code is the same with or without a distribution."""
import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from kfront.utils import tree


def list_devices(device_type=None):
    if device_type is None:
        devices = jax.devices()
    else:
        try:
            devices = jax.devices(str(device_type).lower())
        except RuntimeError:
            return []
    return [f"{d.platform}:{d.id}" for d in devices]


def initialize(job_addresses, num_processes, process_id):
    coordinator = job_addresses.split(",")[0] if job_addresses else None
    # CPU arrays of different processes meet through gloo (accelerators use their own
    # collectives; this setting only concerns the CPU). No device may be touched before
    # jax.distributed.initialize, so this is set without asking which devices exist.
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(coordinator_address=coordinator, num_processes=num_processes,
                               process_id=process_id)


def num_processes():
    return jax.process_count()


def process_id():
    return jax.process_index()


def _device(name):
    by_name = {f"{d.platform}:{d.id}": d for d in jax.devices()}
    if name not in by_name:
        raise ValueError(f"Unknown device {name!r}; JAX sees {sorted(by_name)}.")
    return by_name[name]


def _mesh(device_mesh, cache={}):  # noqa: B006 - one jax Mesh per DeviceMesh
    key = id(device_mesh)
    if key not in cache or cache[key][0] is not device_mesh:
        devices = np.vectorize(_device, otypes=[object])(device_mesh.devices)
        cache[key] = (device_mesh, Mesh(devices, tuple(device_mesh.axis_names)))
    return cache[key][1]


def sharding(layout):
    return NamedSharding(_mesh(layout.device_mesh), PartitionSpec(*layout.axes))


def distribute_tensor(tensor, layout):
    """``kfront.distribution.distribute_tensor``: a sharding constraint inside a traced
    step, a placement outside one."""
    if isinstance(tensor, jax.core.Tracer):
        return jax.lax.with_sharding_constraint(tensor, sharding(layout))
    return jax.device_put(tensor, sharding(layout))


class Placement:
    """Where one compiled step's state and batches go under ``distribution``."""

    def __init__(self, distribution, variables):
        self.distribution = distribution
        check = getattr(distribution, "check_variables", None)
        if check is not None:
            check([v for v in variables if v.trainable])
        self.state_shardings = [sharding(distribution.get_variable_layout(v))
                                for v in variables]

    def put_state(self, arrays):
        return [jax.device_put(a, s) for a, s in zip(arrays, self.state_shardings)]

    def put_batch(self, data):
        replicas = self.distribution.num_model_replicas

        def put(x):
            if not hasattr(x, "shape") or not x.shape:
                return x
            if x.shape[0] % replicas:
                raise ValueError(
                    f"The batch of {x.shape[0]} samples cannot be split evenly over "
                    f"{replicas} replicas: use a global batch size divisible by {replicas} "
                    "(and a dataset size divisible by it, or drop the last partial batch).")
            return jax.device_put(x, sharding(self.distribution.get_data_layout(x.shape)))
        return tree.map_structure(put, data)


def _jax_device(kind, index):
    platform = {"gpu": "gpu", "tpu": "tpu", "cpu": "cpu"}[kind]
    try:
        devices = jax.devices(platform)
    except RuntimeError:
        devices = []
    if index >= len(devices):
        raise ValueError(f"Device '{kind}:{index}' is not available; JAX sees "
                         f"{list_devices()}.")
    return devices[index]


def device_scope(kind, index):
    return jax.default_device(_jax_device(kind, index))


def _apply_default_device():
    from kfront.backend.device import default_device_from_env
    chosen = default_device_from_env()
    if chosen is not None:
        jax.config.update("jax_default_device", _jax_device(*chosen))


_apply_default_device()
