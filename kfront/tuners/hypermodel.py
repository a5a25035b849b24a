"""``HyperModel``: a model-building function with its own ``fit``, as in KerasTuner."""


class HyperModel:
    """Subclass it and write ``build(hp)``; override ``fit(hp, model, *args, **kwargs)`` to
    tune how training runs (batch size, epochs...). ``fit`` returns the History or a dict
    or number the objective is read from."""

    def __init__(self, name=None, tunable=True):
        self.name = name
        self.tunable = tunable

    def build(self, hp):
        raise NotImplementedError(f"{type(self).__name__} must implement `build(hp)`.")

    def fit(self, hp, model, *args, **kwargs):
        return model.fit(*args, **kwargs)


class _FunctionHyperModel(HyperModel):
    def __init__(self, build_fn):
        super().__init__(name=getattr(build_fn, "__name__", None))
        self._build_fn = build_fn

    def build(self, hp):
        return self._build_fn(hp)


def standardize(hypermodel):
    if isinstance(hypermodel, HyperModel):
        return hypermodel
    if callable(hypermodel):
        return _FunctionHyperModel(hypermodel)
    raise ValueError("`hypermodel` must be a HyperModel or a function `build(hp)` returning a "
                     f"compiled model; received {hypermodel!r}.")
