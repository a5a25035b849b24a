"""``Metric``: a stateful, streaming statistic kept in non-trainable variables.

State changes only through ``Variable.assign``, so ``update_state`` also runs inside a
``StatelessScope`` (a compiled, pure step): the ``stateless_*`` methods do exactly that.
"""
from kfront import ops
from kfront.backend.scope import StatelessScope
from kfront.backend.variable import Variable
from kfront.losses.loss import compute_dtype
from kfront.utils.naming import to_snake_case


def _initializer(initializer):
    if initializer is None or initializer == "zeros":
        return lambda shape, dtype=None: ops.zeros(shape, dtype=dtype)
    if initializer == "ones":
        return lambda shape, dtype=None: ops.ones(shape, dtype=dtype)
    if callable(initializer):
        return initializer
    from kfront import initializers
    return initializers.get(initializer)


class Metric:
    """Base class of metrics.

    Subclasses create their state in ``__init__`` with ``self.add_variable(...)``,
    update it in ``update_state(...)`` with ``variable.assign(...)``, and compute the
    value in ``result()``.

    Args:
        name: the metric's name (the key in training logs).
        dtype: the dtype of the computation and the state; defaults to floatx.

    >>> m = kfront.metrics.Mean()
    >>> m.update_state([1.0, 3.0]); float(m.result())
    2.0
    """

    def __init__(self, dtype=None, name=None):
        object.__setattr__(self, "_variables", [])
        object.__setattr__(self, "_metrics", [])
        self.name = name or to_snake_case(type(self).__name__)
        self._dtype = compute_dtype(dtype)

    def __setattr__(self, name, value):
        # Variables and sub-metrics assigned as attributes become part of the state.
        if "_variables" in self.__dict__:
            if isinstance(value, Variable):
                if not any(v is value for v in self._variables):
                    self._variables.append(value)
            elif isinstance(value, Metric) and value is not self:
                if not any(m is value for m in self._metrics):
                    self._metrics.append(value)
        object.__setattr__(self, name, value)

    @property
    def dtype(self):
        return self._dtype

    def _check_super_called(self):
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}: call `super().__init__()` in `__init__()` before "
                "creating state."
            )

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """A non-trainable state variable, tracked in ``self.variables``."""
        self._check_super_called()
        variable = Variable(
            _initializer(initializer),
            shape=tuple(shape),
            dtype=dtype or self._dtype,
            trainable=False,
            name=name,
            path=f"{self.name}/{name}" if name else self.name,
            aggregation=aggregation,
        )
        if not any(v is variable for v in self._variables):
            self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self):
        """This metric's state variables, then those of its sub-metrics."""
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement `update_state()`.")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must implement `result()`.")

    def reset_state(self):
        """Sets every state variable back to zeros."""
        for v in self.variables:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def __call__(self, *args, **kwargs):
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    # Pure versions: state in, state out, for compiled steps.

    def _check_state(self, metric_variables):
        if len(metric_variables) != len(self.variables):
            raise ValueError(
                f"`metric_variables` must match {type(self).__name__}().variables one to one: "
                f"expected {len(self.variables)} values, received {len(metric_variables)}."
            )

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        self._check_state(metric_variables)
        variables = self.variables
        with StatelessScope(list(zip(variables, metric_variables))) as scope:
            self.update_state(*args, **kwargs)
        return [scope.get(v) if scope.get(v) is not None else v.value for v in variables]

    def stateless_result(self, metric_variables):
        self._check_state(metric_variables)
        with StatelessScope(list(zip(self.variables, metric_variables))):
            return self.result()

    def stateless_reset_state(self):
        variables = self.variables
        with StatelessScope() as scope:
            self.reset_state()
        return [scope.get(v) if scope.get(v) is not None else v.value for v in variables]

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__
