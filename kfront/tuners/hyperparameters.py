"""``HyperParameters``: the search space, declared where the model is built (KerasTuner's API).

``hp.Int("units", 32, 256, step=32)`` both declares a hyper-parameter and returns its value
for the trial being built. Before a search the object records the space with each
parameter's default; during a search it is bound to an Optuna trial, which picks the values
(define-by-run: a parameter inside ``conditional_scope`` is only drawn when its parent has
one of the given values).
"""
import contextlib
import math

_SAMPLINGS = ("linear", "log")


class HyperParameter:
    """One declared parameter: its kind, range or choices, default and condition."""

    def __init__(self, kind, name, default, conditions, **spec):
        self.kind = kind
        self.name = name
        self.default = default
        self.conditions = conditions
        self.spec = spec

    def describe(self):
        items = ", ".join(f"{k}: {v!r}" for k, v in self.spec.items() if v is not None)
        return f"{self.name} ({self.kind}) {{default: {self.default!r}{', ' if items else ''}" \
               f"{items}}}"

    def suggest(self, trial):
        """The value Optuna's ``trial`` picks."""
        s = self.spec
        if self.kind == "Int":
            log = s["sampling"] != "linear"
            return trial.suggest_int(self.name, s["min_value"], s["max_value"],
                                     step=1 if log else (s["step"] or 1), log=log)
        if self.kind == "Float":
            log = s["sampling"] != "linear"
            return trial.suggest_float(self.name, s["min_value"], s["max_value"],
                                       step=None if log else s["step"], log=log)
        if self.kind == "Choice":
            return trial.suggest_categorical(self.name, list(s["values"]))
        if self.kind == "Boolean":
            return trial.suggest_categorical(self.name, [False, True])
        return self.default                                      # Fixed


class HyperParameters:
    """The search space and, inside a trial, the chosen values (``hp.values``).

    >>> def build_model(hp):
    ...     model = keras.Sequential([keras.layers.Dense(hp.Int("units", 32, 128, step=32),
    ...                                                  activation="relu"),
    ...                               keras.layers.Dense(1)])
    ...     lr = hp.Float("lr", 1e-4, 1e-2, sampling="log")
    ...     model.compile(keras.optimizers.Adam(lr), "mse")
    ...     return model
    """

    def __init__(self):
        self.space = {}          # name -> HyperParameter, in declaration order
        self.values = {}         # name -> value for the current trial (active ones only)
        self._trial = None
        self._conditions = []    # stack of (parent name, allowed values)

    # ---- declaring ----
    def Int(self, name, min_value, max_value, step=None, sampling="linear", default=None,
            parent_name=None, parent_values=None):
        _check_name(name)
        for arg, v in (("min_value", min_value), ("max_value", max_value)):
            if isinstance(v, bool) or not isinstance(v, int):
                raise ValueError(f"hp.Int({name!r}): `{arg}` must be an int, received {v!r}.")
        _check_range(name, min_value, max_value, sampling)
        if step is not None and (isinstance(step, bool) or not isinstance(step, int)
                                 or step < 1):
            raise ValueError(f"hp.Int({name!r}): `step` must be a positive int, received "
                             f"{step!r}.")
        default = min_value if default is None else default
        return self._declare("Int", name, default, parent_name, parent_values,
                             min_value=min_value, max_value=max_value, step=step,
                             sampling=sampling)

    def Float(self, name, min_value, max_value, step=None, sampling="linear", default=None,
              parent_name=None, parent_values=None):
        _check_name(name)
        for arg, v in (("min_value", min_value), ("max_value", max_value)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise ValueError(f"hp.Float({name!r}): `{arg}` must be a finite number, "
                                 f"received {v!r}.")
        _check_range(name, min_value, max_value, sampling)
        if step is not None and (not isinstance(step, (int, float)) or step <= 0):
            raise ValueError(f"hp.Float({name!r}): `step` must be positive, received {step!r}.")
        default = float(min_value) if default is None else float(default)
        return self._declare("Float", name, default, parent_name, parent_values,
                             min_value=float(min_value), max_value=float(max_value), step=step,
                             sampling=sampling)

    def Choice(self, name, values, ordered=None, default=None, parent_name=None,
               parent_values=None):
        _check_name(name)
        values = list(values) if isinstance(values, (list, tuple)) else values
        if not isinstance(values, list) or not values:
            raise ValueError(f"hp.Choice({name!r}): `values` must be a non-empty list, "
                             f"received {values!r}.")
        kinds = {type(v) for v in values}
        if len(kinds) > 1 or not kinds <= {int, float, str, bool}:
            raise ValueError(f"hp.Choice({name!r}): `values` must all be of one type among "
                             f"int, float, str and bool; received {values!r}.")
        if default is not None and default not in values:
            raise ValueError(f"hp.Choice({name!r}): `default` {default!r} is not one of "
                             f"{values!r}.")
        default = values[0] if default is None else default
        return self._declare("Choice", name, default, parent_name, parent_values,
                             values=values, ordered=ordered)

    def Boolean(self, name, default=False, parent_name=None, parent_values=None):
        _check_name(name)
        if not isinstance(default, bool):
            raise ValueError(f"hp.Boolean({name!r}): `default` must be a bool, received "
                             f"{default!r}.")
        return self._declare("Boolean", name, default, parent_name, parent_values)

    def Fixed(self, name, value, parent_name=None, parent_values=None):
        _check_name(name)
        return self._declare("Fixed", name, value, parent_name, parent_values)

    @contextlib.contextmanager
    def conditional_scope(self, parent_name, parent_values):
        """Parameters declared inside are active only when ``parent_name`` takes one of
        ``parent_values``: ``with hp.conditional_scope("model", ["mlp"]): ...``."""
        if parent_name not in self.space:
            raise ValueError(f"conditional_scope: `parent_name` {parent_name!r} is not a "
                             "declared hyper-parameter; declare it first.")
        values = parent_values if isinstance(parent_values, (list, tuple)) else [parent_values]
        self._conditions.append((parent_name, list(values)))
        try:
            yield
        finally:
            self._conditions.pop()

    def _declare(self, kind, name, default, parent_name, parent_values, **spec):
        conditions = list(self._conditions)
        if parent_name is not None:
            if parent_name not in self.space:
                raise ValueError(f"hp.{kind}({name!r}): `parent_name` {parent_name!r} is not a "
                                 "declared hyper-parameter.")
            values = parent_values if isinstance(parent_values, (list, tuple)) \
                else [parent_values]
            conditions.append((parent_name, list(values)))
        if name not in self.space:
            self.space[name] = HyperParameter(kind, name, default, conditions, **spec)
        hp = self.space[name]
        if not self.is_active(hp):
            return None
        if name not in self.values:
            self.values[name] = hp.suggest(self._trial) if self._trial is not None \
                else hp.default
        return self.values[name]

    # ---- reading ----
    def is_active(self, hp):
        hp = self.space[hp] if isinstance(hp, str) else hp
        return all(self.values.get(parent, self.space[parent].default if self._trial is None
                                   else None) in allowed
                   for parent, allowed in hp.conditions)

    def get(self, name):
        if name in self.values:
            return self.values[name]
        if name in self.space:
            raise ValueError(f"Hyper-parameter {name!r} is not active in this trial.")
        raise KeyError(f"Hyper-parameter {name!r} is not declared; declared: "
                       f"{list(self.space)}.")

    def __getitem__(self, name):
        return self.get(name)

    def __contains__(self, name):
        return name in self.values

    def copy(self):
        out = HyperParameters()
        out.space = dict(self.space)
        out.values = dict(self.values)
        return out

    def _bound(self, trial):
        """A fresh object sharing this space, whose values ``trial`` picks."""
        out = HyperParameters()
        out.space = dict(self.space)
        out._trial = trial
        return out


def _check_name(name):
    if not isinstance(name, str) or not name:
        raise ValueError(f"A hyper-parameter name must be a non-empty string, received "
                         f"{name!r}.")


def _check_range(name, low, high, sampling):
    if low > high:
        raise ValueError(f"Hyper-parameter {name!r}: `min_value` ({low}) must not exceed "
                         f"`max_value` ({high}).")
    if sampling == "reverse_log":
        raise ValueError(f"Hyper-parameter {name!r}: sampling='reverse_log' is not supported "
                         "(Optuna draws 'linear' or 'log'); use 'log'.")
    if sampling not in _SAMPLINGS:
        raise ValueError(f"Hyper-parameter {name!r}: `sampling` must be one of {_SAMPLINGS}, "
                         f"received {sampling!r}.")
    if sampling != "linear" and low <= 0:
        raise ValueError(f"Hyper-parameter {name!r}: sampling={sampling!r} needs a positive "
                         f"`min_value`, received {low}.")
