"""Layers as ``torch.nn.Module``s: the base the torch adapter gives ``kfront.layers.Layer``.

With it a kfront layer or model goes wherever torch expects a module: ``torch.optim``
(``model.parameters()``), a user's own ``nn.Module`` (as a submodule), ``state_dict()`` /
``load_state_dict()``, ``to()``, ``train()`` / ``eval()``, ``zero_grad()``.

The module view is computed from kfront's own tracking when torch asks for it, never kept
in step: kfront's ``__setattr__`` and ``__call__`` stay the only ones that run, so building
layers, calling them and ``fit`` cost what they cost before (``nn.Module.__setattr__`` is a
Python function on every attribute write). What torch sees:

- parameters: the layer's own trainable variables (their storage is the ``Parameter``);
- buffers: its own non-trainable variables and seed generator states (and all its
  variables while the layer is frozen, ``trainable=False``);
- submodules: its sublayers, named by the attribute that holds them, else by position
  (``Sequential``'s layers are ``"0"``, ``"1"``, ... as in ``nn.Sequential``).

``train()`` / ``eval()`` set the ``training`` flag that calls made without a ``training``
argument use, on the layer and every sublayer (a layer never switched keeps Keras's default:
inference). ``fit``, ``evaluate`` and ``predict`` pass their own flag.
"""
import copy

import torch

__all__ = ["TorchLayer"]

# nn.Module's per-instance bookkeeping (hook tables and the like), copied from a bare module
# the first time torch reads one on a layer: most layers are never seen by torch.
_BARE = torch.nn.Module()
_LAZY_FIELDS = {k: v for k, v in vars(_BARE).items()
                if k not in ("training", "_parameters", "_buffers", "_modules")}


class _VariableTensors(dict):
    """``name -> tensor`` over variables, for nn.Module's own loops.

    ``to()`` may hand back a new tensor for a name (another device or dtype); it becomes the
    variable's storage, so the layer computes with it too.
    """

    def __init__(self, layer, variables):
        super().__init__((name, var._storage) for name, var in variables.items())
        self._layer = layer
        self._variables = variables

    def __setitem__(self, name, value):
        var = self._variables.get(name)
        if var is None:
            raise TypeError(_no_torch_state(self._layer, name, "a new tensor"))
        if value is not var._storage:
            if not isinstance(value, torch.nn.Parameter):
                value = torch.nn.Parameter(value, requires_grad=var._storage.requires_grad)
            var._storage = value
        super().__setitem__(name, value)


class _Sublayers(dict):
    """``name -> sublayer``; torch cannot add modules to a kfront layer this way."""

    def __init__(self, layer, modules):
        super().__init__(modules)
        self._layer = layer

    def __setitem__(self, name, value):
        self._layer.add_module(name, value)


class TorchLayer(torch.nn.Module):
    """The ``torch.nn.Module`` side of every kfront layer on the torch backend."""

    # nn.Module's default; kfront's calls read ``_default_training`` instead (see train()).
    training = True

    # ---- what torch sees, computed from kfront's tracking ----
    @property
    def _parameters(self):
        params, _, _ = self._torch_members()
        return _VariableTensors(self, params)

    @property
    def _buffers(self):
        _, buffers, _ = self._torch_members()
        return _VariableTensors(self, buffers)

    @property
    def _modules(self):
        _, _, modules = self._torch_members()
        return _Sublayers(self, modules)

    def _torch_members(self):
        """``(parameters, buffers, submodules)``: name -> variable, variable, module."""
        from kfront.backend.variable import Variable
        from kfront.random.seed_generator import SeedGenerator
        sublayers = self._sublayers()
        inside = {id(v) for layer in sublayers for v in layer.variables}
        own, seen = [], set()
        for obj in self._iter_tracked():
            if isinstance(obj, SeedGenerator):
                obj = obj.state
            if isinstance(obj, Variable) and id(obj) not in inside and id(obj) not in seen:
                seen.add(id(obj))
                own.append(obj)
        # A frozen layer's weights are state torch.optim must not move: buffers, as the
        # non-trainable variables (the state_dict keys stay the same).
        trains = self._trainable
        params = _unique_names((v.name, v) for v in own if trains and v.trainable)
        buffers = _unique_names((v.name, v) for v in own if not (trains and v.trainable))
        return params, buffers, _unique_names(self._sublayer_names(sublayers))

    def _sublayer_names(self, sublayers):
        held_as = {}
        for attr, value in self.__dict__.items():
            held_as.setdefault(id(value), attr)
        position = 0
        for layer in sublayers:
            attr = held_as.get(id(layer))
            if attr is None:
                attr, position = str(position), position + 1
            yield attr, layer

    # ---- calling and modes ----
    def forward(self, *args, **kwargs):
        """Runs the layer (``__call__``): what torch calls ``forward``."""
        return self(*args, **kwargs)

    def train(self, mode=True):
        """Sets the ``training`` flag for calls that do not pass one, on this layer and
        its sublayers (``eval()`` is ``train(False)``), as torch modules have it."""
        if not isinstance(mode, bool):
            raise ValueError(f"train(mode): `mode` must be a bool. Received: {mode!r}")
        self.__dict__["training"] = mode
        self.__dict__["_default_training"] = mode
        for module in self.children():
            module.train(mode)
        return self

    # ---- what torch cannot add: kfront tracks a layer's state ----
    def register_parameter(self, name, param):
        raise TypeError(_no_torch_state(self, name, "register_parameter"))

    def register_buffer(self, name, tensor, persistent=True):
        raise TypeError(_no_torch_state(self, name, "register_buffer"))

    def add_module(self, name, module):
        raise TypeError(
            f'Layer "{self.name}": add sublayers by assigning them as attributes '
            f"(`self.{name} = ...`); torch's add_module / register_module cannot add {name!r}.")

    register_module = add_module

    # ---- nn.Module's own attribute handling, bypassed ----
    def __getattr__(self, name):
        # Only reached when normal lookup fails: nn.Module's bookkeeping is created here,
        # on first use, instead of in every layer's constructor.
        if name in _LAZY_FIELDS:
            for field, default in _LAZY_FIELDS.items():
                if field not in self.__dict__:
                    self.__dict__[field] = copy.copy(default)
            return self.__dict__[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        object.__delattr__(self, name)

    def __setstate__(self, state):
        # nn.Module's would write its hook tables through kfront's __setattr__.
        self.__dict__.update(state)


def _no_torch_state(layer, name, how):
    return (f'Layer "{layer.name}" keeps its weights as kfront variables: create them with '
            f"`add_weight` in `build`. torch cannot add {name!r} ({how}).")


def _unique_names(named):
    """``{name: obj}`` with torch-safe names (no dots), repeats suffixed ``_1``, ``_2``."""
    out = {}
    for name, obj in named:
        base = str(name).replace(".", "_")
        key, n = base, 0
        while key in out:
            n += 1
            key = f"{base}_{n}"
        out[key] = obj
    return out
