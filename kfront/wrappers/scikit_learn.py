"""The Keras 2 names ``keras.wrappers.scikit_learn.KerasClassifier`` / ``KerasRegressor``.

They build the Keras 3 wrappers (``SKLearnClassifier`` / ``SKLearnRegressor``) and warn with
the code to write instead. Keras 2's ``build_fn`` took its own arguments out of
``**sk_params``; the training arguments among them go to ``fit_kwargs``.
"""
import inspect
import warnings

# Keras 2 `sk_params` that are `Model.fit` arguments.
FIT_PARAMS = ("epochs", "batch_size", "verbose", "callbacks", "validation_split", "shuffle")


class BuildFnAdapter:
    """Calls a Keras 2 ``build_fn`` as a Keras 3 ``model`` callable.

    Keras 3 calls ``model(X=X, y=y, **model_kwargs)``; a Keras 2 ``build_fn`` usually takes
    neither ``X`` nor ``y``, so they are passed only when its signature names them.

    Args:
        build_fn: the Keras 2 callable returning a compiled model.
        owner: the Keras 2 name, for error messages.
    """

    def __init__(self, build_fn, owner="KerasClassifier"):
        self.build_fn = build_fn
        self.owner = owner

    def __call__(self, X, y, **kwargs):
        params = _parameters(self.build_fn)
        if params is None or "X" in params:
            kwargs["X"] = X
        if params is None or "y" in params:
            kwargs["y"] = y
        model = self.build_fn(**kwargs)
        loss = getattr(model, "loss", None)
        if self.owner == "KerasClassifier" and _names_sparse_loss(loss):
            raise ValueError(
                f"{self.owner}: the labels are one-hot encoded over the classes, so the "
                "model's loss must take one-hot targets (e.g. 'categorical_crossentropy'); "
                f"received loss={loss!r}.")
        return model

    def __eq__(self, other):  # sklearn's clone checks parameters by identity or equality
        return (isinstance(other, BuildFnAdapter) and other.build_fn is self.build_fn
                and other.owner == self.owner)

    def __hash__(self):
        return hash((id(self.build_fn), self.owner))

    def __repr__(self):
        return f"BuildFnAdapter({self.build_fn!r})"


def _parameters(fn):
    """The keyword parameter names of ``fn``, or None when it takes ``**kwargs``."""
    target = fn.__call__ if not inspect.isfunction(fn) and not inspect.ismethod(fn) and \
        not inspect.isclass(fn) else fn
    signature = inspect.signature(target)
    if any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
        return None
    return {name for name, p in signature.parameters.items()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _names_sparse_loss(loss):
    name = loss if isinstance(loss, str) else getattr(loss, "__name__", None) or getattr(
        loss, "name", None)
    return isinstance(name, str) and "sparse_categorical" in name


def _convert(owner, new_name, build_fn, sk_params):
    if build_fn is None or not callable(build_fn):
        raise TypeError(
            f"{owner}: `build_fn` must be a callable returning a compiled model; received "
            f"{build_fn!r}.")
    model_params = _parameters(build_fn)
    fit_kwargs, model_kwargs = {}, {}
    for name, value in sk_params.items():
        if name in FIT_PARAMS:
            fit_kwargs[name] = value
        elif model_params is None or name in model_params:
            model_kwargs[name] = value
        else:
            raise ValueError(
                f"{owner}: unknown argument {name!r}: it is neither an argument of "
                f"`build_fn` ({sorted(model_params)}) nor one of the fit arguments "
                f"{list(FIT_PARAMS)}. Use kfront.wrappers.{new_name}(model=..., "
                "model_kwargs=..., fit_kwargs=...) for other arguments.")
    warnings.warn(
        f"keras.wrappers.scikit_learn.{owner} is the Keras 2 name; write "
        f"kfront.wrappers.{new_name}(model=build_fn, model_kwargs={model_kwargs!r}, "
        f"fit_kwargs={fit_kwargs!r}) instead, where `model` is called as "
        "model(X=X, y=y, **model_kwargs).", DeprecationWarning, stacklevel=3)
    return (BuildFnAdapter(build_fn, owner), model_kwargs or None, fit_kwargs or None)


def KerasClassifier(build_fn=None, **sk_params):
    """Keras 2's scikit-learn classifier: returns an equivalent ``SKLearnClassifier``.

    Args:
        build_fn: a callable returning a compiled model; the labels reach it one-hot encoded.
        **sk_params: arguments of ``build_fn`` (to ``model_kwargs``), and ``epochs``,
            ``batch_size``, ``verbose``, ``callbacks``, ``validation_split``, ``shuffle``
            (to ``fit_kwargs``). Anything else raises ValueError.
    """
    from kfront.wrappers.sklearn_wrapper import SKLearnClassifier
    model, model_kwargs, fit_kwargs = _convert(
        "KerasClassifier", "SKLearnClassifier", build_fn, sk_params)
    return SKLearnClassifier(model=model, model_kwargs=model_kwargs, fit_kwargs=fit_kwargs)


def KerasRegressor(build_fn=None, **sk_params):
    """Keras 2's scikit-learn regressor: returns an equivalent ``SKLearnRegressor``.

    Args: as ``KerasClassifier``.
    """
    from kfront.wrappers.sklearn_wrapper import SKLearnRegressor
    model, model_kwargs, fit_kwargs = _convert(
        "KerasRegressor", "SKLearnRegressor", build_fn, sk_params)
    return SKLearnRegressor(model=model, model_kwargs=model_kwargs, fit_kwargs=fit_kwargs)
