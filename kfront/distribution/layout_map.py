"""``LayoutMap``: variable paths (exact, or regular expressions) to ``TensorLayout``s."""
import collections.abc
import re

from kfront.distribution.mesh import TensorLayout


class LayoutMap(collections.abc.MutableMapping):
    """``layout_map[".*dense.*kernel"] = (None, "model")``: a path matches a key exactly, or
    else by ``re.fullmatch``; a path matching several keys is an error, none gives ``None``."""

    def __init__(self, device_mesh):
        self._layouts = {}
        self._device_mesh = device_mesh

    @property
    def device_mesh(self):
        return self._device_mesh

    def __getitem__(self, key):
        if key in self._layouts:
            return self._layouts[key]
        matches = [pattern for pattern in self._layouts if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(f"LayoutMap: path {key!r} matches several layout keys: {matches}. "
                             "Each variable path may match at most one key.")
        return self._layouts[matches[0]] if matches else None

    def __setitem__(self, key, layout):
        if key in self._layouts:
            raise ValueError(f"LayoutMap: key {key!r} is already set to {self._layouts[key]}.")
        if isinstance(layout, (tuple, list)):
            layout = TensorLayout(layout)
        if not isinstance(layout, TensorLayout):
            raise ValueError(f"LayoutMap: a layout must be a TensorLayout or a tuple of axis "
                             f"names; received {layout!r}.")
        if layout.device_mesh is None:
            layout.device_mesh = self._device_mesh
        self._layouts[key] = layout

    def __delitem__(self, key):
        del self._layouts[key]

    def __len__(self):
        return len(self._layouts)

    def __iter__(self):
        return iter(self._layouts)
