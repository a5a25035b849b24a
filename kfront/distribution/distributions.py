"""``Distribution``, ``DataParallel`` and ``ModelParallel``: where data and variables live."""
import contextlib
import warnings

import numpy as np

from kfront.distribution.layout_map import LayoutMap
from kfront.distribution.mesh import DeviceMesh, TensorLayout

DEFAULT_BATCH_DIM_NAME = "batch"


class Distribution:
    """Places the batch along ``batch_dim_name`` of ``device_mesh`` and each variable by
    ``get_variable_layout``. Subclasses decide the variable layouts."""

    def __init__(self, device_mesh, batch_dim_name=None, auto_shard_dataset=True):
        from kfront.distribution import api
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset
        self._num_processes = api.num_processes()
        self._process_id = api.process_id()

    @property
    def device_mesh(self):
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self):
        return self._auto_shard_dataset

    @property
    def num_processes(self):
        return self._num_processes

    @property
    def num_model_replicas(self):
        raise NotImplementedError

    @property
    def data_shard_id(self):
        """Which shard of the data this process feeds."""
        replicas = self.num_model_replicas
        if replicas >= self._num_processes:
            return self._process_id
        return self._process_id // (self._num_processes // replicas)

    def get_data_layout(self, data_shape):
        axes = [None] * len(data_shape)
        if axes:
            axes[0] = self._batch_dim_name
        return TensorLayout(axes, self._device_mesh)

    def get_variable_layout(self, variable):
        layout = getattr(variable, "_layout", None)
        return layout if layout is not None else \
            TensorLayout([None] * len(variable.shape), self._device_mesh)

    def get_tensor_layout(self, path):
        return None

    @contextlib.contextmanager
    def scope(self):
        """``with distribution.scope():`` sets this distribution for the block."""
        from kfront.distribution import api
        previous = api.distribution()
        api.set_distribution(self)
        try:
            yield self
        finally:
            api._restore(previous)

    def __repr__(self):
        return f"<{type(self).__name__} device_mesh={self._device_mesh}>"


class DataParallel(Distribution):
    """Replicates every variable and splits each batch over the devices (a 1D mesh from
    ``device_mesh``, ``devices`` or all of ``list_devices()``)."""

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        if device_mesh is not None and devices is not None:
            raise ValueError("DataParallel: pass `device_mesh` or `devices`, not both.")
        if device_mesh is not None:
            if not isinstance(device_mesh, DeviceMesh):
                raise ValueError(f"DataParallel: `device_mesh` must be a DeviceMesh, received "
                                 f"{type(device_mesh).__name__}.")
            if len(device_mesh.shape) != 1:
                warnings.warn("DataParallel expects a 1D mesh; the first axis is used to split "
                              "the batch.", stacklevel=2)
            batch = device_mesh.axis_names[0]
        else:
            if devices is None:
                from kfront.distribution.api import list_devices
                devices = list_devices()
            devices = np.array(devices, dtype=object)
            device_mesh = DeviceMesh(devices.shape, [DEFAULT_BATCH_DIM_NAME], devices)
            batch = DEFAULT_BATCH_DIM_NAME
        super().__init__(device_mesh, batch, auto_shard_dataset)

    @property
    def num_model_replicas(self):
        return int(self.device_mesh.devices.size)


class ModelParallel(Distribution):
    """Splits variables as ``layout_map`` says (others replicated) and each batch along
    ``batch_dim_name`` (default: the mesh's first axis)."""

    def __init__(self, *, layout_map=None, batch_dim_name=None, auto_shard_dataset=True,
                 **kwargs):
        kwargs.pop("device_mesh", None)
        if kwargs:
            raise ValueError(f"ModelParallel: unknown argument(s) {sorted(kwargs)}.")
        if not isinstance(layout_map, LayoutMap):
            raise ValueError(f"ModelParallel: `layout_map` must be a LayoutMap, received "
                             f"{layout_map!r}.")
        mesh = layout_map.device_mesh
        batch_dim_name = batch_dim_name or mesh.axis_names[0]
        if batch_dim_name not in mesh.axis_names:
            raise ValueError(f"ModelParallel: batch_dim_name {batch_dim_name!r} is not an axis "
                             f"of the mesh {mesh.axis_names}.")
        super().__init__(mesh, batch_dim_name, auto_shard_dataset)
        self._layout_map = layout_map

    @property
    def layout_map(self):
        return self._layout_map

    @property
    def num_model_replicas(self):
        return int(self.device_mesh.shape[self.device_mesh.axis_names.index(
            self.batch_dim_name)])

    def get_variable_layout(self, variable):
        layout = getattr(variable, "_layout", None)
        if layout is None:
            layout = self._layout_map[variable.path]
        return layout if layout is not None else \
            TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path):
        return self._layout_map[path]

    def check_variables(self, variables):
        """Every layout key must name some variable, and every split must fit its shape."""
        paths = [v.path for v in variables]
        import re
        for key in self._layout_map:
            if key not in paths and not any(re.fullmatch(key, p) for p in paths):
                raise ValueError(f"ModelParallel: the layout map key {key!r} matches no "
                                 f"variable of the model. Variable paths: {paths[:12]}"
                                 + (" ..." if len(paths) > 12 else "") + ".")
        mesh = self.device_mesh
        for v in variables:
            layout = self.get_variable_layout(v)
            if len(layout.axes) != len(v.shape):
                raise ValueError(f"ModelParallel: layout {layout.axes} for variable {v.path!r} "
                                 f"has {len(layout.axes)} entries; the variable has shape "
                                 f"{tuple(v.shape)}.")
            for dim, axis in zip(v.shape, layout.axes):
                if axis is not None and dim % mesh.shape[mesh.axis_names.index(axis)]:
                    raise ValueError(
                        f"ModelParallel: variable {v.path!r} of shape {tuple(v.shape)} cannot "
                        f"be split over mesh axis {axis!r} of size "
                        f"{mesh.shape[mesh.axis_names.index(axis)]}.")
