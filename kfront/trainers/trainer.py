"""``fit``, ``evaluate`` and ``predict``, written once for every backend.

The loop here is engine-free. Each step (``train_step``/``test_step``/``predict_step``)
is plain kfront code; the adapter's ``compile_step`` turns it into a ``jax.jit`` pure
function, a ``tf.function`` or an eager torch call.
"""
import inspect
import warnings

import numpy as np

from kfront import metrics as metrics_module
from kfront import config, ops, optimizers
from kfront.backend.loader import adapter
from kfront.callbacks.callback_list import CallbackList
from kfront.trainers import data_adapter
from kfront.trainers.class_weight import validate_class_weight
from kfront.trainers.data_adapters.data_adapter_utils import (
    pack_x_y_sample_weight, to_tensor,
)
from kfront.trainers.compile_utils import (
    CompileLoss, CompileMetrics, align_targets, validate_identifiers,
)
from kfront.utils import tree

_B = adapter()
# Keras 2 data-loading arguments that Keras 3 dropped: accepted and ignored.
_KERAS2_LOADER_ARGS = frozenset({"max_queue_size", "workers", "use_multiprocessing"})


def _to_float_logs(logs, order=()):
    """Logs as Python floats, in metric order (compiled steps may return them sorted)."""
    keys = [k for k in order if k in logs] + [k for k in logs if k not in order]
    return {k: float(_B.convert_to_numpy(logs[k])) for k in keys}


class Trainer:
    """The training API mixed into ``Model``."""

    compiled = False
    _step_trainable = None
    # What ``compile()`` sets, for a model that is not compiled (class defaults: a missing
    # attribute costs a raised AttributeError on every ``predict``).
    run_eagerly = False
    steps_per_execution = 1
    jit_compile = _B.name == "jax"

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Configures training: optimizer, loss(es), metrics.

        ``jit_compile``: "auto" compiles steps with XLA on JAX only (eager steps on torch:
        on a CPU ``torch.compile`` of a step costs tens of seconds, more than its faster
        steps win back in the benchmarked runs; see benchmarks/README.md). True also compiles
        them with ``tf.function(jit_compile=True)`` on TensorFlow, and with
        ``torch.compile(dynamic=True)`` on torch: forward, loss, backward, optimizer update
        and metrics in one graph, the last partial batch included (without a working
        compiler, a warning says why and the steps run eagerly).

        ``run_eagerly``: run the steps as plain Python on every engine (for debugging).
        ``steps_per_execution``: batches run per compiled call (unrolled in one
        ``jax.jit``/``tf.function``; a loop on torch); batch callbacks then run once per
        call. ``auto_scale_loss``: under a ``mixed_float16`` policy, wrap the optimizer in
        a ``LossScaleOptimizer`` (dynamic loss scaling).
        """
        steps_per_execution = _check_steps_per_execution(steps_per_execution)
        if jit_compile not in ("auto", True, False):
            raise ValueError("`jit_compile` must be 'auto', True or False; received "
                             f"{jit_compile!r}.")
        self.optimizer = optimizers.get(optimizer)
        if auto_scale_loss and getattr(self, "dtype_policy", None) is not None and \
                self.dtype_policy.compute_dtype == "float16":
            self.optimizer = _with_loss_scaling(self.optimizer)
        validate_identifiers(loss, metrics, weighted_metrics)
        self.loss = loss
        self._compile_loss = CompileLoss(loss, loss_weights) if loss is not None else None
        self._compile_metrics = CompileMetrics(metrics, weighted_metrics) \
            if (metrics or weighted_metrics) else None
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.run_eagerly = bool(run_eagerly)
        self.steps_per_execution = steps_per_execution
        if jit_compile == "auto":
            # XLA pays off on JAX; TF XLA is opt-in, as in Keras.
            jit_compile = _B.name == "jax"
        self.jit_compile = bool(jit_compile) and not self.run_eagerly
        self.compiled = True
        # Containers set with object.__setattr__: layer attribute tracking must not take
        # the cached variable list for variables the model owns.
        object.__setattr__(self, "_step_functions", {})
        object.__setattr__(self, "_step_trainable", None)
        self._compile_built = False

    def _assert_compiled(self, what):
        if not self.compiled:
            raise RuntimeError(
                f"You must call `compile()` before calling `{what}()` on model "
                f'"{self.name}".'
            )

    # ---- the steps: plain kfront code, compiled per engine by the adapter ----
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        total = None
        if self._compile_loss is not None:
            total = self._compile_loss(align_targets(y, self.output_names),
                                       tree.flatten(y_pred), sample_weight)
        for extra in self.losses:
            total = extra if total is None else total + extra
        if total is None:
            raise ValueError(
                f'Model "{self.name}" has no loss: pass `loss=` to compile(), or add one with '
                "`self.add_loss()` in `call()`."
            )
        return total

    def _compute_loss(self, x, y, y_pred, sample_weight, training):
        """``compute_loss``, given ``training`` only when it takes it: Keras 3.0-era
        overrides are ``compute_loss(self, x, y, y_pred, sample_weight)``."""
        if _takes_training(type(self).compute_loss):
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(align_targets(y, self.output_names),
                                               tree.flatten(y_pred), sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        return {m.name: m.result() for m in self.metrics}

    @property
    def metrics(self):
        """The loss tracker, per-output losses, compiled metrics, then metrics assigned as
        attributes (``self.mae_tracker = kfront.metrics.Mean()``), as in Keras."""
        out = []
        if self.compiled:
            out.append(self._loss_tracker)
            if self._compile_loss is not None and self._compile_loss.built:
                out.extend(self._compile_loss.metrics)
            if self._compile_metrics is not None and self._compile_metrics.built:
                out.extend(self._compile_metrics.metrics)
        for value in self.__dict__.values():
            if isinstance(value, metrics_module.Metric) and value is not \
                    self.__dict__.get("_loss_tracker"):
                out.append(value)
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def _batch_size_of(self, x):
        first = tree.flatten(x)[0]
        shape = _B.shape(first)
        if shape and shape[0] is not None:
            return shape[0]
        # Traced with an unknown batch dimension (TensorFlow relaxes it after the first
        # batch size): count the samples at run time.
        inner = shape[1:] if shape else None
        if inner is not None and all(d is not None for d in inner):
            return ops.size(first) // int(np.prod(inner, dtype="int64"))
        return ops.size(first) // ops.size(first[0])

    def train_step(self, data):
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        # The list the step function was made for: walking the layer tree every step is
        # per-step Python work that changes nothing within an epoch.
        variables = self._step_trainable
        if variables is None:
            variables = self.trainable_variables

        # float16 training differentiates the loss times a dynamic scale (a
        # LossScaleOptimizer unscales the gradients); other optimizers return it as is.
        scale_loss = getattr(self.optimizer, "scale_loss", None)

        def forward():
            self._clear_losses()
            y_pred = self(x, training=True)
            loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
            scaled = scale_loss(loss) if scale_loss is not None else loss
            return scaled, loss, y_pred

        (_, loss, y_pred), grads = _B.value_and_grad(forward, variables, has_aux=True)
        if variables:
            self.optimizer.apply(grads, variables)
        self._loss_tracker.update_state(loss, sample_weight=self._batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        self._clear_losses()
        y_pred = self(x, training=False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=self._batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = data_adapter.unpack_x_y_sample_weight(data)
        return self(x, training=False)

    # ---- compiling the steps ----
    def _own_optimizers(self):
        """Optimizers a custom ``train_step`` steps besides ``self.optimizer`` (a GAN's
        ``d_optimizer`` and ``g_optimizer``), found among the model's attributes."""
        main = self.__dict__.get("optimizer")
        return [v for v in self.__dict__.values()
                if isinstance(v, optimizers.Optimizer) and v is not main]

    def _state_variables(self):
        state = list(self.variables)
        if self.compiled:
            state += self.optimizer.variables
            for opt in self._own_optimizers():
                state += opt.variables
            for m in self.metrics:
                state += m.variables
        seen, out = set(), []
        for v in state:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        return out

    def _build_for_data(self, batch):
        """Creates every variable a step touches, eagerly, before any step is compiled."""
        x, y, _ = data_adapter.unpack_x_y_sample_weight(batch)
        if not self.built or (self.compiled and not self._compile_built and y is not None):
            with _B.no_grad():
                y_pred = self(x, training=False)
            if self.compiled and not self._compile_built and y is not None:
                names = self.output_names
                y_true_list = align_targets(y, names)
                y_pred_list = tree.flatten(y_pred)
                if self._compile_loss is not None and not self._compile_loss.built:
                    self._compile_loss.build(names, y_true_list, y_pred_list)
                if self._compile_metrics is not None and not self._compile_metrics.built:
                    self._compile_metrics.build(names, y_true_list, y_pred_list,
                                                self._compile_loss)
                self._compile_built = True
        # A layer left unbuilt (a model with only a custom train_step, which calls its
        # layers itself) creates its variables in the first step: the optimizer then builds
        # on its first apply, from the variables it is given, as Keras's does.
        own_step = type(self).train_step is not Trainer.train_step
        if self.compiled and not self.optimizer.built and not (
                own_step and not _every_layer_built(self)):
            self.optimizer.build(self.trainable_variables)

    def _step_function(self, kind, batch, steps=1):
        """The compiled step for batches like ``batch``; with ``steps > 1``, a function of
        a tuple of ``steps`` batches that runs them all in one compiled call."""
        self._build_for_data(batch)
        # A changed set of trainable variables (layer.trainable = False) needs a new train
        # or test step (the test step's metrics may read it); predict does not depend on it.
        trainable = self.trainable_variables if kind != "predict" else ()
        # Batches whose tensors change inner shape or dtype get their own step function:
        # a traced step then never sees a shape of unknown rank, and layers check input
        # shapes against exact sizes (a clear error instead of an engine one).
        eager = bool(self.run_eagerly)
        jit = self.jit_compile
        key = (kind, steps, eager, jit, tuple(id(v) for v in trainable), _signature(batch))
        if kind == "train":
            object.__setattr__(self, "_step_trainable", trainable)
        cache = self.__dict__.get("_step_functions")
        if cache is None:  # predict() before compile()
            cache = {}
            object.__setattr__(self, "_step_functions", cache)
        fn = cache.get(key)
        if fn is None:
            step = {"train": self.train_step, "test": self.test_step,
                    "predict": self.predict_step}[kind]
            if steps > 1:
                step = _repeated(step, collect=kind == "predict")
            if kind == "train" and not eager and any(
                    not opt.built for opt in self._own_optimizers()):
                # Optimizers of a custom train_step create their variables on first use,
                # which a compiled step cannot do: the first step runs eagerly, and the
                # compiled one that follows carries their state.
                return self._eager_then_compiled(step, kind, steps)
            if eager:
                fn = _eager_step(step, kind)
            else:
                fn = _B.compile_step(step, self._state_variables(), kind, jit)
            cache[key] = fn
        return fn

    def _eager_then_compiled(self, step, kind, steps):
        compiled = []

        def run(data):
            if compiled:
                return compiled[0](data)
            out = _eager_step(step, kind)(data)
            compiled.append(self._step_function(kind, data if steps == 1 else data[0],
                                                steps))
            return out

        return run

    # ---- the loops ----
    def _executions(self, kind, data):
        """Yields ``(first step, last step, run)`` per compiled call: ``run()`` runs
        ``steps_per_execution`` batches at once (fewer at the end of the data) and returns
        the last step's logs, or for predict the list of every step's outputs."""
        n = self.steps_per_execution
        collect = kind == "predict"
        single = many = None
        chunk, begin = [], 0
        for step, batch in enumerate(data):
            if n == 1:
                if single is None:
                    single = self._step_function(kind, batch)
                yield step, step, ((lambda fn=single, b=batch: [fn(b)]) if collect else
                                   (lambda fn=single, b=batch: fn(b)))
                continue
            chunk.append(batch)
            if len(chunk) == n:
                if many is None:
                    many = self._step_function(kind, batch, steps=n)
                yield begin, step, (lambda fn=many, c=tuple(chunk): list(fn(c)) if collect
                                    else fn(c))
                chunk, begin = [], step + 1
        if chunk:
            # The remainder runs step by step: compiling an N-step call for it would cost
            # more than it saves.
            if single is None:
                single = self._step_function(kind, chunk[0])

            def rest(fn=single, batches=tuple(chunk)):
                results = [fn(b) for b in batches]
                return results if collect else results[-1]
            yield begin, begin + len(chunk) - 1, rest

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        self._assert_compiled("fit")
        # Debugging caps (kfront.config.set_max_epochs / set_max_steps_per_epoch).
        epochs = config.capped_epochs(epochs)
        steps_per_epoch = config.capped_steps(steps_per_epoch)
        if validation_split and validation_data is None:
            if not data_adapter.is_array_data(x):
                raise ValueError("`validation_split` is only supported for arrays and tensors; "
                                 f"`x` is a {type(x).__name__}. Pass `validation_data` instead.")
            arrays = (data_adapter.to_arrays(x, "x"), data_adapter.to_arrays(y, "y"),
                      data_adapter.to_arrays(sample_weight, "sample_weight"))
            (x, y, sample_weight), validation_data = data_adapter.train_validation_split(
                arrays, validation_split)
        class_weight = validate_class_weight(class_weight, y)
        data = data_adapter.get_data_adapter(x, y, sample_weight, batch_size, steps_per_epoch,
                                             shuffle, class_weight)
        verbose = _resolve_verbose(verbose)
        callbacks = self._callback_list(callbacks, verbose, epochs, data.num_batches)
        self.stop_training = False
        self._initial_epoch = None
        callbacks.on_train_begin()
        # A callback (BackupAndRestore) may resume an interrupted run at a later epoch.
        initial_epoch = self._initial_epoch or initial_epoch
        logs = {}
        epoch_logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            data.set_epoch(epoch)  # the shuffle order is a function of (seed, epoch)
            ran = False
            for begin, end, out in self._executions("train", data):
                callbacks.on_train_batch_begin(begin)
                logs = out()
                ran = True
                callbacks.on_train_batch_end(end, logs)
                if self.stop_training:
                    break
            if not ran:
                raise ValueError("The training data yielded no batches: the dataset is empty, "
                                 "or a generator was exhausted in an earlier epoch (pass "
                                 "`steps_per_epoch` with an infinite generator).")
            epoch_logs = _to_float_logs(logs, self.metrics_names)
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_internal(validation_data, validation_batch_size or
                                                   batch_size, validation_steps)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        # Optimizers that keep averaged weights (use_ema) copy them in at the end.
        finalize = getattr(self.optimizer, "finalize_variable_values", None)
        if finalize is not None:
            finalize(self.trainable_variables)
        self._clear_losses()  # no traced losses outlive the compiled steps
        callbacks.on_train_end(epoch_logs)
        return self.history

    def _callback_list(self, callbacks, verbose, epochs, steps):
        callbacks = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                 model=self, verbose=verbose, epochs=epochs, steps=steps)
        self.history = callbacks._history
        return callbacks

    def _evaluate_internal(self, validation_data, batch_size, steps):
        if isinstance(validation_data, list) and len(validation_data) in (2, 3):
            validation_data = tuple(validation_data)
        if isinstance(validation_data, tuple):
            vx, vy, vsw = data_adapter.unpack_x_y_sample_weight(validation_data)
            data = data_adapter.get_data_adapter(vx, vy, vsw, batch_size, steps)
        else:
            data = data_adapter.get_data_adapter(validation_data, None, None, batch_size, steps)
        return self._run_test(data, CallbackList(None, model=self))

    def _run_test(self, data, callbacks):
        self.reset_metrics()
        callbacks.on_test_begin()
        logs = None
        for begin, end, out in self._executions("test", data):
            callbacks.on_test_batch_begin(begin)
            logs = out()
            callbacks.on_test_batch_end(end, logs)
        if logs is None:
            raise ValueError("The evaluation data yielded no batches.")
        logs = _to_float_logs(logs, self.metrics_names)
        self._clear_losses()  # no traced losses outlive the compiled steps
        callbacks.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        unknown = sorted(set(kwargs) - _KERAS2_LOADER_ARGS)
        if unknown:
            raise ValueError(f"evaluate(): argument(s) not recognized: {unknown}.")
        self._assert_compiled("evaluate")
        steps = config.capped_steps(steps)  # kfront.config.set_max_steps_per_epoch
        data = data_adapter.get_data_adapter(x, y, sample_weight, batch_size, steps)
        verbose = _resolve_verbose(verbose)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                           epochs=1, steps=data.num_batches)
        logs = self._run_test(data, cbs)
        return logs if return_dict else _flatten_logs(logs, self.metrics_names)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        steps = config.capped_steps(steps)  # kfront.config.set_max_steps_per_epoch
        if verbose == 0 and callbacks is None and steps is None:
            out = self._predict_one_batch(x, batch_size)
            if out is not None:
                return out
        data = data_adapter.get_data_adapter(x, None, None, batch_size, steps)
        verbose = _resolve_verbose(verbose)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                           epochs=1, steps=data.num_batches)
        cbs.on_predict_begin()
        outputs = []
        for begin, end, run in self._executions("predict", data):
            cbs.on_predict_batch_begin(begin)
            outs = run()
            outputs.extend(tree.map_structure(_B.convert_to_numpy, out) for out in outs)
            cbs.on_predict_batch_end(end, {"outputs": outs[0] if len(outs) == 1 else
                                           _concatenate(outputs[-len(outs):])})
        self._clear_losses()  # no traced losses outlive the compiled steps
        cbs.on_predict_end()
        if not outputs:
            raise ValueError("The prediction data yielded no batches.")
        return _concatenate(outputs)

    def _predict_one_batch(self, x, batch_size):
        """``predict`` of one batch of arrays with nothing watching (serving a few samples):
        the step is called directly, with no adapter, callback list or prefetch thread.
        None when ``x`` is not such a batch."""
        # Serving calls predict on one array of the same shape again and again: the step of
        # the last such call is kept with what chose it, and taken while all of it matches
        # (choosing it anew walks and keys the batch on every call).
        key = (x.shape, x.dtype, batch_size, self.run_eagerly, self.jit_compile) \
            if type(x) is np.ndarray else None
        memo = self.__dict__.get("_predict_memo")
        if key is not None and memo is not None and memo[0] == key and \
                memo[1] is self.__dict__.get("_step_functions"):
            fn, batch = memo[2], to_tensor(x)
        else:
            batch = _one_batch(x, batch_size)
            if batch is None:
                return None
            fn = self._step_function("predict", batch)
            if key is not None and x.dtype.kind in "biuf":
                # (Other kinds are checked by ``_one_batch`` on every call.)
                object.__setattr__(self, "_predict_memo",
                                   (key, self.__dict__["_step_functions"], fn))
        out = fn(batch)
        self._clear_losses()
        if _B.is_tensor(out):
            return _B.convert_to_numpy(out)
        return tree.map_structure(_B.convert_to_numpy, out)

    # ---- single batches ----
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        self._assert_compiled("train_on_batch")
        return self._on_batch("train", x, y, sample_weight, class_weight, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._assert_compiled("test_on_batch")
        return self._on_batch("test", x, y, sample_weight, None, return_dict)

    def _on_batch(self, kind, x, y, sample_weight, class_weight, return_dict):
        data = data_adapter.ArrayDataAdapter(x, y, sample_weight, batch_size=None,
                                             class_weight=class_weight)
        data.batch_size = max(1, data.num_samples)
        data.num_batches = data.steps = 1
        batch = next(iter(data))
        # As in Keras 3, metrics accumulate over calls until `reset_metrics()`.
        logs = _to_float_logs(self._step_function(kind, batch)(batch), self.metrics_names)
        return logs if return_dict else _flatten_logs(logs, self.metrics_names)

    def predict_on_batch(self, x):
        data = data_adapter.ArrayDataAdapter(x)
        data.batch_size = max(1, data.num_samples)
        batch = next(iter(data))
        out = self._step_function("predict", batch)(batch)
        return tree.map_structure(_B.convert_to_numpy, out)

    # ---- Keras 2 names ----
    def fit_generator(self, generator, *args, **kwargs):
        warnings.warn("`Model.fit_generator` is deprecated; `Model.fit` accepts generators.",
                      DeprecationWarning, stacklevel=2)
        return self.fit(generator, *args, **kwargs)

    def evaluate_generator(self, generator, *args, **kwargs):
        warnings.warn("`Model.evaluate_generator` is deprecated; use `Model.evaluate`.",
                      DeprecationWarning, stacklevel=2)
        return self.evaluate(generator, *args, **kwargs)

    def predict_generator(self, generator, *args, **kwargs):
        warnings.warn("`Model.predict_generator` is deprecated; use `Model.predict`.",
                      DeprecationWarning, stacklevel=2)
        return self.predict(generator, *args, **kwargs)


_TAKES_TRAINING = {}


def _takes_training(fn):
    """Whether ``fn`` names a ``training`` parameter (Keras's test: ``**kwargs`` does not
    count)."""
    found = _TAKES_TRAINING.get(fn)
    if found is None:
        found = _TAKES_TRAINING[fn] = "training" in inspect.signature(fn).parameters
    return found


def _one_batch(x, batch_size):
    """``x`` as engine tensors, packed as a step receives it, when ``x`` is NumPy arrays (or
    a list/dict of them, same length) that fit in one batch of ``batch_size`` (default 32);
    else None."""
    leaves = tree.flatten(x)
    if not leaves or not all(isinstance(a, np.ndarray) and a.ndim > 0 for a in leaves):
        return None
    n = leaves[0].shape[0]
    if not 0 < n <= (batch_size or 32) or any(a.shape[0] != n for a in leaves):
        return None
    return pack_x_y_sample_weight(tree.map_structure(to_tensor,
                                                     data_adapter.to_arrays(x, "x")))


def _signature(batch):
    """Per tensor of a batch: its shape without the batch dimension, and its dtype."""
    # NumPy leaves (``batch_array`` on JAX) key by their own shape and dtype: asking the
    # adapter costs more than the rest of a one-sample predict call.
    return tuple(None if a is None else (a.shape[1:], a.dtype) if type(a) is np.ndarray
                 else (tuple(_B.shape(a))[1:], _B.dtype(a)) for a in tree.flatten(batch))


def _repeated(step, collect=False):
    """One function running ``step`` on each batch of a tuple: traced once, it is N steps
    in one compiled call (unrolled), with the state carried from step to step. It returns
    the last step's result, or with ``collect`` all of them."""
    def run(batches):
        results = [step(batch) for batch in batches]
        return tuple(results) if collect else results[-1]

    return run


def _check_steps_per_execution(value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError("`steps_per_execution` must be an integer >= 1; received "
                         f"{value!r}.")
    return int(value)


def _with_loss_scaling(optimizer):
    """The optimizer wrapped for dynamic loss scaling (float16 compute), when available."""
    wrapper = getattr(optimizers, "LossScaleOptimizer", None)
    if wrapper is None or isinstance(optimizer, wrapper):
        return optimizer
    return wrapper(optimizer)


def _eager_step(step, kind):
    """``run_eagerly=True``: the step as plain Python on every engine (no tf.function, no
    jax.jit), for debugging with prints and breakpoints."""
    def tensors(data):
        # A batch may hold NumPy arrays (``batch_array``); eager code sees engine tensors.
        return tree.map_structure(
            lambda a: _B.convert_to_tensor(a) if isinstance(a, np.ndarray) else a, data)

    if kind == "train":
        return lambda data: step(tensors(data))

    def run(data):
        with _B.no_grad():
            return step(tensors(data))

    return run


def _resolve_verbose(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"`verbose` must be 'auto', 0, 1 or 2, received {verbose!r}.")
    return verbose


def _concatenate(batches):
    """Per-batch outputs (arrays, or lists/tuples/dicts of them) joined along axis 0."""
    first = batches[0]
    if isinstance(first, dict):
        return {k: _concatenate([b[k] for b in batches]) for k in first}
    if isinstance(first, (list, tuple)):
        return type(first)(_concatenate([b[i] for b in batches]) for i in range(len(first)))
    return np.concatenate(batches, axis=0)


def _flatten_logs(logs, names):
    values = [logs[n] for n in names if n in logs]
    return values[0] if len(values) == 1 else values


def _every_layer_built(layer):
    """Whether ``layer`` and every layer it tracks, at any depth, is built."""
    return layer.built and all(_every_layer_built(sub) for sub in layer._sublayers())
