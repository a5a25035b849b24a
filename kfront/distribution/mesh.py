"""``DeviceMesh`` and ``TensorLayout``: devices in a named grid, and a tensor's split over it."""
import math

import numpy as np


class DeviceMesh:
    """Devices arranged in a grid with named axes, e.g. ``DeviceMesh((2, 4), ["batch",
    "model"])``. ``devices`` default to ``kfront.distribution.list_devices()``."""

    def __init__(self, shape, axis_names, devices=None):
        if not shape or not axis_names:
            raise ValueError(f"DeviceMesh: `shape` and `axis_names` cannot be empty. Received: "
                             f"shape={shape}, axis_names={axis_names}.")
        shape, axis_names = tuple(int(d) for d in shape), list(axis_names)
        if len(shape) != len(axis_names):
            raise ValueError(f"DeviceMesh: `shape` and `axis_names` must have the same length. "
                             f"Received: shape={shape}, axis_names={axis_names}.")
        if len(set(axis_names)) != len(axis_names):
            raise ValueError(f"DeviceMesh: axis names must be unique, received {axis_names}.")
        if devices is None:
            from kfront.distribution.api import list_devices
            devices = list_devices()
        devices = np.array(devices, dtype=object)
        if math.prod(shape) != devices.size:
            raise ValueError(f"DeviceMesh: shape {shape} needs {math.prod(shape)} devices, but "
                             f"{devices.size} are given ({list(devices.ravel())}).")
        self._shape, self._axis_names = shape, axis_names
        self._devices = devices.reshape(shape)

    @property
    def shape(self):
        return self._shape

    @property
    def axis_names(self):
        return self._axis_names

    @property
    def devices(self):
        return self._devices

    def __repr__(self):
        return f"<DeviceMesh shape={self.shape}, axis_names={self.axis_names}>"


class TensorLayout:
    """How a tensor is split: one entry per tensor dimension, a mesh axis name (split along
    that axis) or ``None`` (replicated)."""

    def __init__(self, axes, device_mesh=None):
        self._axes = tuple(axes)
        self._device_mesh = None
        self.device_mesh = device_mesh

    @property
    def axes(self):
        return self._axes

    @property
    def device_mesh(self):
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh):
        if self._device_mesh is not None:
            raise ValueError("TensorLayout: the device mesh is already set.")
        if device_mesh is not None:
            unknown = set(self._axes) - {None} - set(device_mesh.axis_names)
            if unknown:
                raise ValueError(f"TensorLayout: axes {sorted(unknown)} are not axes of the "
                                 f"mesh; valid axis names: {device_mesh.axis_names}.")
        self._device_mesh = device_mesh

    def __eq__(self, other):
        return isinstance(other, TensorLayout) and self.axes == other.axes and \
            self.device_mesh is other.device_mesh

    __hash__ = object.__hash__

    def __repr__(self):
        return f"<TensorLayout axes={self.axes}, device_mesh={self.device_mesh}>"
