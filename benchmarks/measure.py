"""Thread pinning and the timers every implementation is measured with.

Timers yield to the cell's other implementations only between timed steps (turns.py)."""
import os
import resource
import statistics
import time

from turns import maybe_turn, take_turn

now = time.perf_counter

# The same single-thread setting for every engine; set before any engine is imported.
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "JAX_PLATFORMS": "cpu",
    "CUDA_VISIBLE_DEVICES": "",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}

# The same fixed malloc thresholds for every process. With glibc's defaults the mmap
# threshold moves with the order of frees, and a process either reuses the engine's large
# activation buffers from its heap or maps and faults them in afresh every step: the torch
# convnet took about 8000 page faults and 20 ms of system time per 40 ms step in such a
# process, and none in another process of the same program. Fixed thresholds keep every
# buffer up to 32 MiB on the heap and the freed heap mapped, so a run measures the program,
# not which allocator mode its process drew.
ALLOCATOR_ENV = {
    "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=33554432:"
                      "glibc.malloc.trim_threshold=268435456",
}


def pin_process(core):
    """Runs this process (and the threads it starts later) on one CPU core."""
    os.sched_setaffinity(0, {core})


def pin_engine_threads(engine):
    """Sets the engine's own thread pools to one thread. Returns a note if it could not."""
    if engine == "torch":
        import torch
        torch.set_num_threads(1)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:  # only allowed before the first parallel op
            return "torch inter-op threads already started"
    elif engine == "tensorflow":
        import tensorflow as tf
        try:
            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        except RuntimeError:  # the runtime is up; TF_NUM_*_THREADS above still applied
            return "tf threads set by environment only"
    return None


def peak_rss_mib():
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def time_native(make_step, batches, epoch_batches, sync):
    """Times a hand-written loop.

    ``make_step()`` builds the model and optimizer and returns ``step(batch) -> loss``;
    ``sync(loss)`` waits for the loss and returns it as a float. ``batches`` are timed one
    call at a time; ``epoch_batches()`` yields one epoch's batches, run back to back with a
    single sync at the end. First step and first epoch: from building the model to the
    first step's loss, and to the end of a first epoch run like the timed one.
    """
    t0 = now()
    step = make_step()
    loss = first = None
    for b in epoch_batches():
        loss = step(b)
        if first is None:
            sync(loss)
            first = now() - t0
    sync(loss)
    first_epoch = now() - t0
    take_turn()
    times = []
    for b in batches:
        maybe_turn()
        t = now()
        sync(step(b))
        times.append(now() - t)
    take_turn()
    t = now()
    count, loss = 0, None
    for b in epoch_batches():
        loss = step(b)
        count += 1
    last = sync(loss)
    epoch = (now() - t) / max(count, 1)
    return {"first_s": first, "first_epoch_s": first_epoch, "step_s": times,
            "epoch_step_s": epoch, "loss": last}


def time_inference(make_predict, inputs):
    """Times ``predict(x) -> NumPy`` (built by ``make_predict()``) one call per input.

    Each call returns host memory, so the output is ready when it returns. First: building
    the model plus the first call. Epoch: all ``inputs`` back to back, per call.
    """
    t0 = now()
    predict = make_predict()
    predict(inputs[0])
    first = now() - t0
    for x in inputs[1:]:
        predict(x)
    first_epoch = now() - t0
    take_turn()
    times = []
    for x in inputs:
        maybe_turn()
        t = now()
        predict(x)
        times.append(now() - t)
    take_turn()
    t = now()
    for x in inputs:
        out = predict(x)
    epoch = (now() - t) / len(inputs)
    return {"first_s": first, "first_epoch_s": first_epoch, "step_s": times,
            "epoch_step_s": epoch, "loss": float(out.sum())}


def summarize(values):
    return statistics.median(values) if values else float("nan")
