"""kfront layers and models as ``torch.nn.Module``s (the torch adapter's bases for them).

With them a kfront model goes wherever torch expects a module: ``torch.optim``
(``model.parameters()``), a user's own ``nn.Module`` (as a submodule), ``state_dict()`` /
``load_state_dict()``, ``to()``, ``train()`` / ``eval()``, ``zero_grad()``. What torch sees
is computed from kfront's own tracking when torch asks, never kept in step:

- parameters: the layer's own trainable variables (their storage is the ``Parameter``);
- buffers: its own non-trainable variables and seed generator states (and all its
  variables while the layer is frozen, ``trainable=False``: torch.optim must not move them);
- submodules: its sublayers, named by the attribute that holds them, else by position
  (``Sequential``'s layers are ``"0"``, ``"1"``, ... as in ``nn.Sequential``).

Why models and layers differ: a class under ``nn.Module`` has its ``__getattr__``, and
CPython 3.11 then gives up its fast attribute reads on every instance (``self.kernel``, a
method call: about twice as slow). Layers run many of those per call, so a plain layer
only *has* the module methods (``LayerModuleMethods``) and hands torch a module view of
itself (``LayerModule``); a model, read a few times per step, *is* an ``nn.Module``
(``ModelModule``), so torch parents register it. ``fit``'s per-step cost stays as it was.

``train()`` / ``eval()`` set the ``training`` flag that calls made without a ``training``
argument use, on the layer and every sublayer (a layer never switched keeps Keras's
default: inference). ``fit``, ``evaluate`` and ``predict`` pass their own flag.
"""
import copy
import weakref

import torch

__all__ = ["LayerModuleMethods", "LayerModule", "ModelModule"]

_Module = torch.nn.Module
# nn.Module's per-instance bookkeeping (hook tables and the like), copied from a bare module
# the first time torch reads one on a module: most are never seen by torch.
_LAZY_FIELDS = {k: v for k, v in vars(_Module()).items()
                if k not in ("training", "_parameters", "_buffers", "_modules")}


class LayerModuleMethods:
    """torch's module methods on every kfront layer (the base of ``Layer`` on torch)."""

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
        modules = _unique_names((name, _module_of(layer))
                                for name, layer in self._sublayer_names(sublayers))
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
        _Module.train(_module_of(self), mode)
        return self

    def eval(self):
        return self.train(False)

    # ---- torch's module methods, run on the module view ----
    def parameters(self, recurse=True):
        return _Module.parameters(_module_of(self), recurse)

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        return _Module.named_parameters(_module_of(self), prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        return _Module.buffers(_module_of(self), recurse)

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        return _Module.named_buffers(_module_of(self), prefix, recurse, remove_duplicate)

    def children(self):
        return _Module.children(_module_of(self))

    def named_children(self):
        return _Module.named_children(_module_of(self))

    def modules(self):
        return _Module.modules(_module_of(self))

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        return _Module.named_modules(_module_of(self), memo, prefix, remove_duplicate)

    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        return _Module.state_dict(_module_of(self), *args, destination=destination,
                                  prefix=prefix, keep_vars=keep_vars)

    def load_state_dict(self, state_dict, strict=True, assign=False):
        if assign:
            raise ValueError("load_state_dict(assign=True) is not supported on kfront layers: "
                             "their tensors are kfront variables, loaded in place.")
        return _Module.load_state_dict(_module_of(self), state_dict, strict=strict)

    def to(self, *args, **kwargs):
        _Module.to(_module_of(self), *args, **kwargs)
        return self

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None):
        _Module.cuda(_module_of(self), device)
        return self

    def zero_grad(self, set_to_none=True):
        _Module.zero_grad(_module_of(self), set_to_none)

    def requires_grad_(self, requires_grad=True):
        _Module.requires_grad_(_module_of(self), requires_grad)
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


class _LazyFields:
    """nn.Module's bookkeeping, made on first read (only reached when lookup fails)."""

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


class ModelModule(_LazyFields, _Module):
    """A kfront model is an ``nn.Module`` (the adapter's base for ``Model``)."""

    def forward(self, *args, **kwargs):
        """Runs the model (``__call__``): what torch calls ``forward``."""
        return self(*args, **kwargs)


class LayerModule(_LazyFields, _Module):
    """The ``nn.Module`` torch sees for a plain kfront layer (made on demand, one per layer;
    it holds the layer weakly)."""

    def __init__(self, layer):
        self.__dict__["_layer_ref"] = weakref.ref(layer)

    @property
    def layer(self):
        layer = self._layer_ref()
        if layer is None:
            raise RuntimeError("The kfront layer behind this torch module view is gone.")
        return layer

    @property
    def _parameters(self):
        return self.layer._parameters

    @property
    def _buffers(self):
        return self.layer._buffers

    @property
    def _modules(self):
        return self.layer._modules

    @property
    def training(self):
        return self.layer.training

    @training.setter
    def training(self, mode):
        self.layer.training = mode

    def forward(self, *args, **kwargs):
        return self.layer(*args, **kwargs)

    def _get_name(self):
        return type(self.layer).__name__

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)


_VIEWS = weakref.WeakKeyDictionary()


def _module_of(layer):
    """``layer`` itself when it is an ``nn.Module`` (a model), else its ``LayerModule``."""
    if isinstance(layer, _Module):
        return layer
    view = _VIEWS.get(layer)
    if view is None:
        view = _VIEWS[layer] = LayerModule(layer)
    return view


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
