"""``distribute_tensor``: lay one tensor out over a device mesh."""
from kfront.backend.keras_tensor import KerasTensor
from kfront.distribution.mesh import TensorLayout


def distribute_tensor(tensor, layout):
    """``tensor`` split over ``layout.device_mesh`` as ``layout.axes`` say: placed there
    eagerly, a sharding constraint inside a compiled step. Symbolic tensors are returned
    as they are (a layout is a runtime matter).

    Sharding tensors needs the jax backend; on torch and TensorFlow a layout that splits
    nothing (every named mesh axis of size 1) returns the tensor unchanged, and one that
    splits raises ``NotImplementedError``.

    >>> mesh = kfront.distribution.DeviceMesh((2,), ["batch"])
    >>> x = kfront.distribution.distribute_tensor(x, TensorLayout(["batch", None], mesh))
    """
    if isinstance(tensor, KerasTensor):
        return tensor
    if not isinstance(layout, TensorLayout):
        raise ValueError("distribute_tensor: `layout` must be a "
                         "kfront.distribution.TensorLayout. Received: "
                         f"layout={layout!r} (of type {type(layout).__name__})")
    if layout.device_mesh is None:
        raise ValueError("distribute_tensor: the layout has no device mesh. Build it as "
                         "TensorLayout(axes, device_mesh).")
    ndim = len(tensor.shape)
    if len(layout.axes) != ndim:
        raise ValueError(f"distribute_tensor: the layout has {len(layout.axes)} axes "
                         f"{layout.axes} for a tensor of rank {ndim} (shape "
                         f"{tuple(tensor.shape)}); give one mesh axis name or None per "
                         "dimension.")
    from kfront.distribution.api import _lib
    lib = _lib()
    engine = getattr(lib, "distribute_tensor", None)
    if engine is not None:
        return engine(tensor, layout)
    mesh = layout.device_mesh
    sizes = dict(zip(mesh.axis_names, mesh.shape))
    split = [axis for axis in layout.axes if axis is not None and sizes[axis] > 1]
    if split:
        from kfront import config
        raise NotImplementedError(
            f"distribute_tensor: splitting a tensor over mesh axes {split} needs the jax "
            f"backend; kfront on {config.backend()!r} distributes data only "
            "(DataParallel). Use a layout of None axes to keep the tensor whole.")
    return tensor
