"""Distribution on TensorFlow through ``tf.distribute``: a kfront ``DataParallel`` becomes a
``MirroredStrategy`` over its devices (``MultiWorkerMirroredStrategy`` in a multi-process
job). Variables made while it is set (or inside a user's own ``strategy.scope()``) are the
strategy's distributed variables; a train step runs once per replica with ``strategy.run``
on that replica's slice of the global batch, gradients are all-reduced (mean), and logged
values are averaged over replicas."""
import json
import os

import tensorflow as tf

from kfront.utils import tree

_STRATEGIES = {}
_USER_STRATEGY = []  # a strategy whose scope the user built variables in (tf.keras style)
_MULTI_WORKER = []  # the MultiWorkerMirroredStrategy of a multi-process job


def list_devices(device_type=None):
    kinds = [device_type.upper()] if device_type else ["GPU", "TPU", "CPU"]
    for kind in kinds:
        devices = tf.config.list_logical_devices(kind)
        if devices:
            # In a multi-worker job: the replicas of every worker.
            total = _MULTI_WORKER[0].num_replicas_in_sync if _MULTI_WORKER else len(devices)
            return [f"{kind.lower()}:{i}" for i in range(total)]
    return []


def _cluster():
    config = json.loads(os.environ.get("TF_CONFIG", "{}") or "{}")
    workers = config.get("cluster", {}).get("worker", [])
    task = config.get("task", {})
    return workers, int(task.get("index", 0))


def initialize(job_addresses, num_processes, process_id):
    """Writes ``TF_CONFIG`` (unless the launcher did) and starts the
    ``MultiWorkerMirroredStrategy``: collective ops must be set up before other TF work."""
    if "TF_CONFIG" not in os.environ:
        _write_tf_config(job_addresses, num_processes, process_id)
    if not _MULTI_WORKER and num_processes_from_config() > 1:
        _MULTI_WORKER.append(tf.distribute.MultiWorkerMirroredStrategy())


def _write_tf_config(job_addresses, num_processes, process_id):
    if not job_addresses or num_processes is None or process_id is None:
        raise ValueError("initialize on tensorflow needs job_addresses (one host:port per "
                         "process), num_processes and process_id, or TF_CONFIG.")
    workers = job_addresses.split(",")
    if len(workers) != num_processes:
        raise ValueError(f"initialize: {num_processes} processes but {len(workers)} addresses.")
    os.environ["TF_CONFIG"] = json.dumps({"cluster": {"worker": workers},
                                          "task": {"type": "worker", "index": process_id}})


def num_processes_from_config():
    return max(1, len(_cluster()[0]))


def num_processes():
    return num_processes_from_config() if _MULTI_WORKER else 1


def process_id():
    return _cluster()[1] if _MULTI_WORKER else 0


def strategy_for(distribution):
    from kfront.distribution.distributions import DataParallel
    if not isinstance(distribution, DataParallel):
        raise NotImplementedError(
            f"{type(distribution).__name__} is not supported on the tensorflow backend; use "
            "DataParallel (or the jax backend for layout-map model parallelism).")
    key = id(distribution)
    if key not in _STRATEGIES or _STRATEGIES[key][0] is not distribution:
        if _MULTI_WORKER:
            strategy = _MULTI_WORKER[0]
        else:
            devices = [f"/{d.split(':')[0]}:{d.split(':')[1]}"
                       for d in distribution.device_mesh.devices.ravel()]
            strategy = tf.distribute.MirroredStrategy(
                devices, cross_device_ops=tf.distribute.ReductionToOneDevice())
        _STRATEGIES[key] = (distribution, strategy)
    return _STRATEGIES[key][1]


def current_strategy():
    """The strategy new variables belong to: kfront's distribution, an active user scope,
    or the user scope the model was built in."""
    from kfront.distribution import api
    dist = api.distribution()
    if dist is not None:
        return strategy_for(dist)
    if tf.distribute.has_strategy():
        strategy = tf.distribute.get_strategy()
        if not _USER_STRATEGY or _USER_STRATEGY[-1] is not strategy:
            _USER_STRATEGY.append(strategy)
        return strategy
    return _USER_STRATEGY[-1] if _USER_STRATEGY else None


_AGGREGATION = {"mean": tf.VariableAggregation.MEAN, "sum": tf.VariableAggregation.SUM,
                "only_first_replica": tf.VariableAggregation.ONLY_FIRST_REPLICA,
                "none": tf.VariableAggregation.NONE}


def variable_options(aggregation, dtype, trainable):
    """tf.Variable arguments: state summed over replicas (metrics) stays per replica and is
    summed when read; integer state (counters) follows the first replica."""
    if aggregation == "sum" and not trainable:
        return {"synchronization": tf.VariableSynchronization.ON_READ,
                "aggregation": tf.VariableAggregation.SUM}
    if not dtype.is_floating:
        return {"aggregation": tf.VariableAggregation.ONLY_FIRST_REPLICA}
    return {"aggregation": _AGGREGATION.get(aggregation, tf.VariableAggregation.MEAN)}


def strategy_of(variables):
    for v in variables:
        strategy = getattr(v._storage, "_distribute_strategy", None)
        if strategy is not None and strategy.num_replicas_in_sync > 1:
            return strategy
    return None


def distribute_step(step_fn, strategy, kind):
    """``step_fn`` run once per replica on its slice of the batch, results averaged."""
    replicas = strategy.num_replicas_in_sync

    def replica_fn(data):
        rid = tf.distribute.get_replica_context().replica_id_in_sync_group

        def shard(x):
            if not isinstance(x, (tf.Tensor, tf.Variable)) or x.shape.rank == 0:
                return x
            share = tf.shape(x)[0] // replicas
            return x[rid * share:(rid + 1) * share]
        return step_fn(tree.map_structure(shard, data))

    def run(data):
        per_replica = strategy.run(replica_fn, args=(data,))
        return tree.map_structure(
            lambda v: strategy.reduce(tf.distribute.ReduceOp.MEAN, v, axis=None), per_replica)
    return run


def check_batch(data, replicas):
    for x in tree.flatten(data):
        shape = getattr(x, "shape", None)
        if shape is not None and len(shape) and shape[0] is not None and shape[0] % replicas:
            raise ValueError(
                f"The batch of {shape[0]} samples cannot be split evenly over {replicas} "
                f"replicas: use a global batch size divisible by {replicas} (and a dataset "
                "size divisible by it, or drop the last partial batch).")


def device_scope(kind, index):
    available = list_devices(kind)
    if f"{kind}:{index}" not in available:
        raise ValueError(f"Device '{kind}:{index}' is not available; TensorFlow sees "
                         f"{list_devices('cpu') + list_devices('gpu')}.")
    return tf.device(f"/{kind.upper()}:{index}")


def _apply_default_device():
    from kfront.backend.device import default_device_from_env
    chosen = default_device_from_env()
    if chosen is not None and chosen[0] == "cpu":
        # TensorFlow places ops on a GPU whenever it sees one; hiding them keeps it on CPU.
        try:
            tf.config.set_visible_devices([], "GPU")
        except RuntimeError:
            pass


_apply_default_device()
