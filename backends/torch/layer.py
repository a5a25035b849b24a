"""kfront layers and models are ``torch.nn.Module``s (the torch adapter's base for them).

Every kfront layer, model or not, is an ``nn.Module`` as in Keras 3, so it goes wherever torch
expects a module: ``torch.optim`` (``layer.parameters()``), a user's own ``nn.Module`` (as a
submodule, also inside ``nn.ModuleList`` / ``nn.Sequential``), ``state_dict()`` /
``load_state_dict()``, ``to()``, ``train()`` / ``eval()``, ``zero_grad()``, hooks. What torch
sees is computed from kfront's own tracking when torch asks, never kept in step:

- parameters: the layer's own trainable variables (their storage is the ``Parameter``);
- buffers: its own non-trainable variables and seed generator states (and all its
  variables while the layer is frozen, ``trainable=False``: torch.optim must not move them);
- submodules: its sublayers, named by the attribute that holds them, else by position
  (``Sequential``'s layers are ``"0"``, ``"1"``, ... as in ``nn.Sequential``).

Costs kept low: ``nn.Module.__init__`` is never run; its per-instance bookkeeping (hook
tables and the like) is made on the first read, which most layers never see. Attribute
writes keep kfront's own tracking (``Layer.__setattr__``), not torch's. A layer calls its
own ``__call__``, not torch's; only a layer that gets a forward or backward hook switches to
torch's call path (see ``_run_torch_hooks``), so hooks cost nothing until used. What stays:
``nn.Module`` has a ``__getattr__``, and CPython then reads every attribute of a layer
through a slower path (measured about 0.7 µs per eager layer call).

``train()`` / ``eval()`` set the ``training`` flag that calls made without a ``training``
argument use, on the layer and every sublayer (a layer never switched keeps Keras's
default: inference). ``fit``, ``evaluate`` and ``predict`` pass their own flag.
"""
import copy
import copyreg

import torch

__all__ = ["LayerModule"]

_Module = torch.nn.Module
# nn.Module's per-instance bookkeeping (hook tables and the like), copied from a bare module
# the first time torch reads one on a layer: most are never seen by torch.
_LAZY_FIELDS = {k: v for k, v in vars(_Module()).items()
                if k not in ("training", "_parameters", "_buffers", "_modules")}
# The hook tables torch's own call path (``nn.Module.__call__``) runs.
_CALL_HOOKS = ("_forward_pre_hooks", "_forward_hooks", "_backward_pre_hooks", "_backward_hooks")


class LayerModule(_Module):
    """The base of every kfront ``Layer`` on torch: the layer is an ``nn.Module``."""

    def forward(self, *args, **kwargs):
        """Runs the layer (``__call__``): what torch calls ``forward``."""
        return self(*args, **kwargs)

    # ---- nn.Module's bookkeeping, made on first read (only reached when lookup fails) ----
    def __getattr__(self, name):
        if name in _LAZY_FIELDS:
            for field, default in _LAZY_FIELDS.items():
                if field not in self.__dict__:
                    self.__dict__[field] = copy.copy(default)
            return self.__dict__[name]
        # Lookup failed (or a property raised AttributeError): its own error, once more.
        return object.__getattribute__(self, name)

    def __delattr__(self, name):
        object.__delattr__(self, name)

    def __setstate__(self, state):
        # nn.Module's would write its hook tables through kfront's __setattr__.
        self.__dict__.update(state)
        if any(state.get(table) for table in _CALL_HOOKS):
            _run_torch_hooks(self)

    # ---- what torch sees, computed from kfront's tracking ----
    @property
    def _parameters(self):
        return _VariableTensors(self, self._torch_members()[0])

    @property
    def _buffers(self):
        return _VariableTensors(self, self._torch_members()[1])

    @property
    def _modules(self):
        return _Sublayers(self, self._torch_members()[2])

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
        trains = self._trainable
        params = _unique_names((v.name, v) for v in own if trains and v.trainable)
        buffers = _unique_names((v.name, v) for v in own if not (trains and v.trainable))
        modules = _unique_names(self._sublayer_names(sublayers))
        return params, buffers, modules

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

    # ---- the training flag of calls that pass none ----
    @property
    def training(self):
        """torch's mode flag: False after ``eval()``, else True (as a fresh torch module)."""
        return self._default_training is not False

    @training.setter
    def training(self, mode):
        self.__dict__["_default_training"] = bool(mode)

    def train(self, mode=True):
        """Calls without a ``training`` argument run in training mode (``mode=True``) or
        inference mode, on this layer and its sublayers; ``eval()`` is ``train(False)``."""
        if not isinstance(mode, bool):
            raise ValueError(f"train(mode): `mode` must be a bool. Received: {mode!r}")
        return _Module.train(self, mode)

    def load_state_dict(self, state_dict, strict=True, assign=False):
        if assign:
            raise ValueError("load_state_dict(assign=True) is not supported on kfront layers: "
                             "their tensors are kfront variables, loaded in place.")
        return _Module.load_state_dict(self, state_dict, strict=strict)

    # ---- hooks that run around a call: the layer then takes torch's call path ----
    def register_forward_pre_hook(self, hook, **kwargs):
        handle = _Module.register_forward_pre_hook(self, hook, **kwargs)
        _run_torch_hooks(self)
        return handle

    def register_forward_hook(self, hook, **kwargs):
        handle = _Module.register_forward_hook(self, hook, **kwargs)
        _run_torch_hooks(self)
        return handle

    def register_full_backward_pre_hook(self, hook, prepend=False):
        handle = _Module.register_full_backward_pre_hook(self, hook, prepend)
        _run_torch_hooks(self)
        return handle

    def register_full_backward_hook(self, hook, prepend=False):
        handle = _Module.register_full_backward_hook(self, hook, prepend)
        _run_torch_hooks(self)
        return handle

    def register_backward_hook(self, hook):
        raise TypeError(f'Layer "{self.name}": use register_full_backward_hook (torch '
                        "deprecates register_backward_hook).")

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


_HOOKED = {}


def _run_torch_hooks(layer):
    """Moves ``layer`` to a subclass of its class that is called through torch's
    ``nn.Module.__call__`` (which runs the hooks, then ``forward``: the layer's own call).

    The subclass has the class's name, module and registration, so a hooked layer prints,
    saves and pickles as its class."""
    cls = type(layer)
    if cls.__dict__.get("_torch_hooked"):
        return
    hooked = _HOOKED.get(cls)
    if hooked is None:
        hooked = _HOOKED[cls] = type(cls.__name__, (cls,), {
            "__call__": _Module.__call__, "forward": cls.__call__, "_torch_hooked": True,
            "__module__": cls.__module__, "__qualname__": cls.__qualname__,
            "__reduce_ex__": _reduce_as(cls)})
    object.__setattr__(layer, "__class__", hooked)


def _reduce_as(cls):
    def __reduce_ex__(self, protocol):
        # Pickled (and deep-copied) as ``cls``; ``__setstate__`` hooks it again.
        return copyreg.__newobj__, (cls,), self.__getstate__()
    return __reduce_ex__


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
    """``name -> module``; torch cannot add modules to a kfront layer this way."""

    def __init__(self, layer, modules):
        super().__init__(modules)
        self._layer = layer

    def __setitem__(self, name, value):
        self._layer.add_module(name, value)


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
