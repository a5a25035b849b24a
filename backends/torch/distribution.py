"""Distribution on torch: ``torch.distributed`` process groups (gloo on CPU, NCCL on GPU),
one model replica per process as DistributedDataParallel runs it: parameters broadcast from
rank 0, each process trains on its slice of the global batch, gradients all-reduced (mean)
in one flat bucket before the optimizer step. Launch with ``torchrun``."""
import atexit
import os

import torch
import torch.distributed as dist

from kfront.utils import tree

_ACTIVE = []  # the Placement of the distributed step now running, if any


def _initialized():
    return dist.is_available() and dist.is_initialized()


def num_processes():
    return dist.get_world_size() if _initialized() else 1


def process_id():
    return dist.get_rank() if _initialized() else 0


def list_devices(device_type=None):
    kind = (device_type or "").lower()
    if kind in ("", "gpu") and torch.cuda.is_available():
        count = torch.cuda.device_count()
        if _initialized():
            return [f"gpu:{i}" for i in range(num_processes())]
        return [f"gpu:{i}" for i in range(count)]
    if kind == "gpu" or kind == "tpu":
        return []
    # On CPU each process is one replica.
    return [f"cpu:{i}" for i in range(num_processes())]


def initialize(job_addresses, num_processes, process_id):
    if _initialized():
        return
    env = os.environ
    rank = process_id if process_id is not None else int(env.get("RANK", 0))
    world = num_processes if num_processes is not None else int(env.get("WORLD_SIZE", 1))
    if job_addresses:
        host, _, port = job_addresses.split(",")[0].partition(":")
        env.setdefault("MASTER_ADDR", host)
        env.setdefault("MASTER_PORT", port or "29500")
    env.setdefault("MASTER_ADDR", "127.0.0.1")
    env.setdefault("MASTER_PORT", "29500")
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    dist.init_process_group(backend, rank=rank, world_size=world)
    # A process group left to the interpreter's teardown can abort the process (its C++
    # threads are still joinable); close it first.
    atexit.register(_shutdown)
    if backend == "nccl":
        torch.cuda.set_device(int(env.get("LOCAL_RANK", rank)) % torch.cuda.device_count())


def _shutdown():
    if _initialized():
        dist.destroy_process_group()


class Placement:
    """One replica per process: ``DataParallel`` only."""

    def __init__(self, distribution, variables):
        from kfront.distribution.distributions import DataParallel
        if not isinstance(distribution, DataParallel):
            raise NotImplementedError(
                f"{type(distribution).__name__} is not supported on the torch backend; use "
                "DataParallel (or the jax backend for layout-map model parallelism).")
        self.world, self.rank = num_processes(), process_id()
        if distribution.num_model_replicas != self.world:
            raise ValueError(
                f"On torch each process is one replica: the distribution has "
                f"{distribution.num_model_replicas} replicas but {self.world} processes run. "
                "Launch one process per device with torchrun.")
        if self.world > 1:
            with torch.no_grad():
                for v in variables:
                    dist.broadcast(v._storage.data, src=0)  # storage is a Parameter

    def put_batch(self, data):
        world, rank = self.world, self.rank
        if world == 1:
            return data

        def shard(x):
            if not hasattr(x, "shape") or len(x.shape) == 0:
                return x
            n = x.shape[0]
            if n % world:
                raise ValueError(
                    f"The batch of {n} samples cannot be split evenly over {world} replicas: "
                    f"use a global batch size divisible by {world} (and a dataset size "
                    "divisible by it, or drop the last partial batch).")
            share = n // world
            return x[rank * share:(rank + 1) * share]
        return tree.map_structure(shard, data)

    def reduce_gradients(self, grads):
        """The mean over replicas, in one all-reduce of a flat buffer."""
        if self.world == 1 or not grads:
            return grads
        flat = torch.cat([g.reshape(-1) for g in grads])
        dist.all_reduce(flat)
        flat /= self.world
        out, start = [], 0
        for g in grads:
            out.append(flat[start:start + g.numel()].view_as(g))
            start += g.numel()
        return out

    def reduce_logs(self, outputs):
        """Step results averaged over replicas (exact for running means over equal shards)."""
        if self.world == 1:
            return outputs
        leaves = tree.flatten(outputs)
        slots = [i for i, x in enumerate(leaves)
                 if torch.is_tensor(x) and x.is_floating_point() and x.numel() == 1]
        if not slots:
            return outputs
        stacked = torch.stack([leaves[i].detach().reshape(()).float() for i in slots])
        dist.all_reduce(stacked)
        stacked /= self.world
        for k, i in enumerate(slots):
            leaves[i] = stacked[k].to(leaves[i].dtype).reshape(leaves[i].shape)
        return tree.pack_sequence_as(outputs, leaves)

    def __enter__(self):
        _ACTIVE.append(self)
        return self

    def __exit__(self, *exc):
        _ACTIVE.pop()


def active():
    return _ACTIVE[-1] if _ACTIVE else None


def device_scope(kind, index):
    """torch tensors are made on the process device (``KFRONT_DEVICE``, else CUDA when
    present); a block may name that device, not switch to another one."""
    from kfront.backends.torch.core import DEVICE
    wanted = "cpu" if kind == "cpu" else f"cuda:{index}"
    current = "cpu" if DEVICE.type == "cpu" else f"cuda:{DEVICE.index or 0}"
    if kind == "tpu" or (kind == "gpu" and index >= torch.cuda.device_count()):
        raise ValueError(f"Device '{kind}:{index}' is not available; torch sees "
                         f"{list_devices('gpu') or ['cpu:0']}.")
    if wanted != current:
        raise ValueError(f"On the torch backend the device is chosen once per process: this "
                         f"process uses {current!r}. Set KFRONT_DEVICE='{kind}:{index}' before "
                         "importing kfront.")
    import contextlib
    return contextlib.nullcontext()
