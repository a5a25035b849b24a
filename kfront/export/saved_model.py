"""``ExportArchive`` and ``format="tf_saved_model"``: SavedModels for TensorFlow Serving.

On the tensorflow backend the archive traces its endpoints with ``tf.function`` directly.
On torch and jax it records what to export (tracked models, endpoints that run a tracked
model's forward, variable collections of tracked models) and ``write_out`` rebuilds those
models on TensorFlow from their saved config and weights, in a separate process.
"""
from kfront import config
from kfront.export import signature as sig
from kfront.layers.layer import Layer
from kfront.utils import io_utils

DEFAULT_ENDPOINT_NAME = "serve"


def export_saved_model(model, filepath, verbose=None, input_signature=None, **kwargs):
    """Writes ``model``'s forward pass as a SavedModel with a ``serve`` endpoint (also the
    ``serving_default`` signature), dynamic in the batch size.

    >>> model.export("path/to/dir")                    # format="tf_saved_model"
    >>> tf.saved_model.load("path/to/dir").serve(x)    # in any TensorFlow program
    """
    _reject_kwargs(kwargs, "format='tf_saved_model'")
    sig.check_built(model)
    specs = sig.model_signature(model) if input_signature is None else \
        sig.as_specs(input_signature)
    archive = ExportArchive()
    archive.track_and_add_endpoint(DEFAULT_ENDPOINT_NAME, model, specs)
    archive.write_out(filepath, verbose=True if verbose is None else verbose)


class ExportArchive:
    """Writes SavedModel artifacts for inference, with the endpoints you choose.

    ``track()`` the models or layers the endpoints use, ``add_endpoint()`` each serving
    function with its input signature, then ``write_out()``. Reload the artifact with
    ``tf.saved_model.load``; the first endpoint is also the ``serving_default`` signature
    that TensorFlow Serving calls.

    >>> archive = kfront.export.ExportArchive()
    >>> archive.track(model)
    >>> archive.add_endpoint("serve", model.call,
    ...                      [kfront.InputSpec(shape=(None, 3), dtype="float32")])
    >>> archive.write_out("path/to/dir")

    On the tensorflow backend any function of tracked layers can be an endpoint. On torch
    and jax an endpoint must be a tracked model's forward pass (the model, ``model.call``
    or ``model.__call__``), which is rebuilt on TensorFlow from the model's config and
    weights; the model must therefore be serializable (built-in or registered layers).
    """

    def __init__(self, format="saved_model"):
        if format != "saved_model":
            raise ValueError(f"Unsupported ExportArchive format {format!r}: kfront writes "
                             "'saved_model' only.")
        self._native = None
        if config.backend() == "tensorflow":
            from kfront.backends.tensorflow.export import SavedModelArchive
            self._native = SavedModelArchive()
        self._tracked = []  # tracked kfront layers, in order
        self._endpoints = []  # (name, tracked index, specs) when rebuilt elsewhere
        self._collections = []  # (name, tracked index, weight indices) likewise
        self._endpoint_names = []

    @property
    def variables(self):
        """The variables of the tracked layers (kfront variables)."""
        seen, out = set(), []
        for layer in self._tracked:
            for v in layer.weights:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def trainable_variables(self):
        return [v for v in self.variables if v.trainable]

    @property
    def non_trainable_variables(self):
        return [v for v in self.variables if not v.trainable]

    def track(self, resource):
        """Tracks the variables of a layer or model (and, on tensorflow, a TF resource
        such as a lookup table) so the artifact saves them."""
        if isinstance(resource, Layer):
            if not resource.built:
                raise ValueError(f'The layer "{resource.name}" provided to track() has not '
                                 "yet been built. It must be built before export.")
            if not any(t is resource for t in self._tracked):
                self._tracked.append(resource)
                if self._native is not None:
                    self._native.track(resource)
            return
        if self._native is not None and type(resource).__module__.startswith("tensorflow"):
            self._native.track_resource(resource)
            return
        raise ValueError("Invalid resource type for track(): expected a kfront Layer or Model"
                         + (" or a TensorFlow trackable resource" if self._native else "")
                         + f"; received {type(resource).__name__}.")

    def add_endpoint(self, name, fn, input_signature=None, **kwargs):
        """Registers a serving endpoint ``name`` that runs ``fn``.

        Args:
            name: the endpoint's name (an attribute of the reloaded object).
            fn: on tensorflow, any function of tracked layers (or a ``tf.function``
                called once, when ``input_signature`` is omitted); on torch and jax, a
                tracked model or its ``call``/``__call__``.
            input_signature: a list with one entry per positional argument of ``fn``:
                ``kfront.InputSpec(shape=..., dtype=...)``, ``kfront.KerasTensor``,
                ``tf.TensorSpec`` or a tensor, nested as the argument is (a list of specs
                for a two-input Functional model).

        Returns:
            The ``tf.function`` on tensorflow; None elsewhere (it is traced at write-out).
        """
        _reject_kwargs(kwargs, "add_endpoint()")
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"Endpoint names must be Python identifiers; received {name!r}.")
        if name in self._endpoint_names:
            raise ValueError(f"Endpoint name '{name}' is already taken.")
        if input_signature is None:
            result = self._add_traced_function(name, fn)
        else:
            specs = sig.as_specs(input_signature)
            if self._native is not None:
                result = self._native.add_endpoint(name, fn, specs)
            else:
                self._endpoints.append((name, self._model_index_of(fn), specs))
                result = None
        self._endpoint_names.append(name)
        return result

    def _add_traced_function(self, name, fn):
        if self._native is not None and self._native_is_tf_function(fn):
            from kfront.backends.tensorflow.export import traced_at_least_once
            if not traced_at_least_once(fn):
                raise ValueError(f"The tf.function provided for endpoint '{name}' has never "
                                 "been called. Call it once, or pass `input_signature`.")
            return self._native.add_function(name, fn)
        raise ValueError(
            f"add_endpoint('{name}', ...) needs an `input_signature` (the shape and dtype of "
            "each argument) unless `fn` is a tf.function already called once. Example: "
            "input_signature=[kfront.InputSpec(shape=(None, 3), dtype='float32')].")

    @staticmethod
    def _native_is_tf_function(fn):
        from kfront.backends.tensorflow.export import is_tf_function
        return is_tf_function(fn)

    def _model_index_of(self, fn):
        owner = fn if isinstance(fn, Layer) else getattr(fn, "__self__", None)
        method = getattr(fn, "__name__", None)
        for i, layer in enumerate(self._tracked):
            if owner is layer and (fn is layer or method in ("call", "__call__")):
                return i
        raise ValueError(
            f"On the {config.backend()} backend, ExportArchive endpoints are rebuilt on "
            "TensorFlow from a tracked model's config and weights, so `fn` must be a tracked "
            f"model, its `call` or its `__call__`; received {fn!r}. Track the model first "
            "(archive.track(model)), or export arbitrary functions from the tensorflow "
            "backend (KFRONT_BACKEND=tensorflow).")

    def track_and_add_endpoint(self, name, resource, input_signature, **kwargs):
        """``track(resource)`` then ``add_endpoint(name, resource.__call__, ...)``."""
        self.track(resource)
        return self.add_endpoint(name, resource.__call__, input_signature, **kwargs)

    def add_variable_collection(self, name, variables):
        """Saves ``variables`` (a list, tuple or set of variables) as the attribute
        ``name`` of the reloaded object. On torch and jax they must belong to a tracked
        model."""
        if not isinstance(variables, (list, tuple, set)):
            raise ValueError("Expected `variables` to be a list/tuple/set; received "
                             f"{type(variables).__name__}.")
        if self._native is not None:
            self._native.add_variable_collection(name, list(variables))
            return
        for i, layer in enumerate(self._tracked):
            weights = {id(w): j for j, w in enumerate(layer.weights)}
            if all(id(v) in weights for v in variables):
                self._collections.append((name, i, [weights[id(v)] for v in variables]))
                return
        raise ValueError(
            f"On the {config.backend()} backend, add_variable_collection('{name}', ...) "
            "takes variables of one tracked model (they are rebuilt on TensorFlow with it).")

    def write_out(self, filepath, options=None, verbose=True):
        """Writes the SavedModel to ``filepath`` (a directory). Every endpoint is a
        serving signature, and the first one is also ``serving_default``.

        Args:
            filepath: ``str`` or ``pathlib.Path``.
            options: a ``tf.saved_model.SaveOptions`` (tensorflow backend only).
            verbose: print the endpoints that were written.
        """
        if not self._endpoint_names:
            raise ValueError("No endpoints have been set yet. Call add_endpoint().")
        if self._native is not None:
            self._native.write_out(filepath, options=options)
            described = self._native.describe()
        else:
            if options is not None:
                raise ValueError(f"write_out(options=...) is supported on the tensorflow "
                                 f"backend only; the {config.backend()} backend writes the "
                                 "SavedModel with TensorFlow's default options.")
            from kfront.export.rebuild import run_in_backend
            job = {"kind": "archive", "filepath": str(filepath),
                   "endpoints": [[n, i, sig.to_json(s)] for n, i, s in self._endpoints],
                   "collections": self._collections}
            run_in_backend("tensorflow", job, self._tracked, "format='tf_saved_model'")
            described = "\n".join(f"* Endpoint {n!r}" for n, _, _ in self._endpoints)
        if verbose:
            io_utils.print_msg(f"Saved artifact at '{filepath}'. The following endpoints "
                               f"are available:\n\n{described}")


def _reject_kwargs(kwargs, where):
    if kwargs:
        raise ValueError(
            f"Unsupported keyword argument(s) for {where}: {sorted(kwargs)}. kfront has no "
            "jax2tf route (`is_static`, `jax2tf_kwargs`): torch and jax models are rebuilt "
            "on TensorFlow from their config and weights.")
