"""``multi_gpu_model``: Keras 2's data-parallel wrapper, kept as a thin deprecated shim over
``kfront.distribution.DataParallel``."""
import warnings


def multi_gpu_model(model, gpus=None, cpu_merge=True, cpu_relocation=False):
    """Deprecated: sets a ``DataParallel`` distribution over ``gpus`` GPUs (a count >= 2 or a
    list of GPU indices) and returns ``model``, which then trains data parallel. New code
    calls ``kfront.distribution.set_distribution(DataParallel(...))`` before building."""
    warnings.warn("`multi_gpu_model` is deprecated (removed in Keras 2.4); use "
                  "`kfront.distribution.set_distribution(kfront.distribution.DataParallel())` "
                  "before building the model.", DeprecationWarning, stacklevel=2)
    from kfront import distribution as D
    from kfront.backend.loader import adapter
    if isinstance(gpus, (list, tuple)):
        if len(gpus) <= 1:
            raise ValueError(f"For multi-gpu usage to be effective, call `multi_gpu_model` with "
                             f"`len(gpus) >= 2`. Received: `gpus={gpus}`")
        indices = [int(i) for i in gpus]
    else:
        if gpus is None or int(gpus) <= 1:
            raise ValueError(f"For multi-gpu usage to be effective, call `multi_gpu_model` with "
                             f"`gpus >= 2`. Received: `gpus={gpus}`")
        indices = list(range(int(gpus)))
    available = D.list_devices("gpu")
    wanted = [f"gpu:{i}" for i in indices]
    if any(name not in available for name in wanted):
        raise ValueError(f"To call `multi_gpu_model` with `gpus={gpus}`, we expect the "
                         f"following devices to be available: {wanted}. However this machine "
                         f"only has: {available or ['cpu:0']}.")
    if adapter().name == "tensorflow":
        raise NotImplementedError(
            "multi_gpu_model cannot distribute an existing model on the tensorflow backend "
            "(tf.distribute needs the variables made under the strategy): set the "
            "distribution first, then build the model.")
    D.set_distribution(D.DataParallel(devices=wanted))
    # The model was built before the distribution; its variables are re-placed when it trains.
    D.api._STATE["variables_before"] = None
    return model
