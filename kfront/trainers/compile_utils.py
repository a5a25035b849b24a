"""What ``compile(loss=..., metrics=..., loss_weights=...)`` becomes: per-output losses and
metrics, matched to the model's outputs by position or by output name, as Keras does."""
from kfront import losses as losses_module
from kfront import metrics as metrics_module
from kfront.backend.loader import adapter
from kfront.losses.loss import Loss
from kfront.losses.losses import LossFunctionWrapper

_B = adapter()

# Names Keras resolves from the shapes of the targets and predictions.
_ACCURACY_NAMES = ("accuracy", "acc")
_CROSSENTROPY_NAMES = ("crossentropy", "ce")


def _is_name(identifier, names):
    return isinstance(identifier, str) and identifier.lower() in names


def validate_identifiers(loss, metrics, weighted_metrics):
    """Resolves every string in the compile arguments once, so that an unknown name fails
    in ``compile()`` instead of at the first batch of ``fit()``."""
    def strings(spec):
        if isinstance(spec, str):
            yield spec
        elif isinstance(spec, dict):
            for value in spec.values():
                yield from strings(value)
        elif isinstance(spec, (list, tuple)):
            for value in spec:
                yield from strings(value)

    for name in strings(loss):
        if not _is_name(name, _CROSSENTROPY_NAMES):
            losses_module.get(name)
    for spec in (metrics, weighted_metrics):
        for name in strings(spec):
            if not _is_name(name, _ACCURACY_NAMES):
                metrics_module.get(name)


def _per_output(spec, output_names, what):
    """Spreads a compile argument over outputs: one value, a list, or a dict by name."""
    n = len(output_names)
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - set(output_names))
        if unknown:
            raise ValueError(f"In compile(), `{what}` has keys {unknown} that match no model "
                             f"output. Model outputs: {output_names}.")
        return [spec.get(name) for name in output_names]
    if isinstance(spec, (list, tuple)):
        if len(spec) != n:
            raise ValueError(f"In compile(), `{what}` is a list of {len(spec)} entries, but the "
                             f"model has {n} outputs ({output_names}).")
        return list(spec)
    return [spec] * n


def align_targets(y, output_names):
    """``y`` as a flat list in output order (it may be a single array, a list or a dict)."""
    if isinstance(y, dict):
        missing = [name for name in output_names if name not in y]
        if missing:
            raise ValueError(f"The targets dict has no entry for output(s) {missing}; it has keys "
                             f"{sorted(y)}.")
        return [y[name] for name in output_names]
    if len(output_names) > 1:
        if not isinstance(y, (list, tuple)):
            raise ValueError(f"The model has {len(output_names)} outputs ({output_names}); "
                             "pass the targets as a list in that order or a dict by output "
                             "name, not a single array.")
        if len(y) != len(output_names):
            raise ValueError(f"The model has {len(output_names)} outputs ({output_names}) but "
                             f"{len(y)} target arrays were given.")
        return list(y)
    return [y]


def align_sample_weights(sample_weight, output_names):
    """Per-output sample weights: one array applies to every output, as in Keras."""
    if sample_weight is None:
        return [None] * len(output_names)
    if isinstance(sample_weight, (list, tuple, dict)):
        return align_targets(sample_weight, output_names)
    return [sample_weight] * len(output_names)


def _shapes(y_true, y_pred):
    return tuple(_B.shape(y_true)), tuple(_B.shape(y_pred))


def _binary_or_sparse(y_true, y_pred):
    """Keras's shape rule: (is binary, is sparse categorical)."""
    true_shape, pred_shape = _shapes(y_true, y_pred)
    pred_last = pred_shape[-1] if pred_shape else 1
    true_last = true_shape[-1] if true_shape else 1
    # A rank-1 prediction is one probability per sample.
    is_binary = pred_last == 1 or len(pred_shape) <= 1
    is_sparse = len(true_shape) < len(pred_shape) or (true_last == 1 and pred_last > 1)
    return is_binary, is_sparse


def _resolve_loss(spec, y_true, y_pred):
    if _is_name(spec, _CROSSENTROPY_NAMES):
        if y_true is None or y_pred is None:
            raise ValueError(f"loss={spec!r} is chosen from the shapes of the targets; "
                             "call fit/evaluate with targets.")
        is_binary, is_sparse = _binary_or_sparse(y_true, y_pred)
        spec = "binary_crossentropy" if is_binary else \
            "sparse_categorical_crossentropy" if is_sparse else "categorical_crossentropy"
    loss = losses_module.get(spec)
    if not isinstance(loss, Loss):
        name = spec if isinstance(spec, str) else getattr(loss, "__name__", "loss")
        loss = LossFunctionWrapper(loss, name=name)
    return loss


class CompileLoss:
    """The compiled loss: the weighted sum of one loss per output (``None`` skips one)."""

    def __init__(self, loss, loss_weights=None):
        self._loss_spec = loss
        self._weights_spec = loss_weights
        self.built = False
        self.losses = []
        self.per_output_trackers = []

    def build(self, output_names, y_true_list=None, y_pred_list=None):
        self.output_names = list(output_names)
        n = len(self.output_names)
        specs = _per_output(self._loss_spec, self.output_names, "loss")
        weights = _per_output(self._weights_spec, self.output_names, "loss_weights") \
            if self._weights_spec is not None else [1.0] * n
        y_true_list = y_true_list or [None] * n
        y_pred_list = y_pred_list or [None] * n
        self.losses = []
        for spec, weight, yt, yp in zip(specs, weights, y_true_list, y_pred_list):
            if spec is None:
                self.losses.append(None)
                continue
            self.losses.append((_resolve_loss(spec, yt, yp), 1.0 if weight is None
                                else float(weight)))
        if all(entry is None for entry in self.losses):
            raise ValueError("In compile(), no loss applies to any model output.")
        self.per_output_trackers = [
            metrics_module.Mean(name=f"{name}_loss") if entry is not None else None
            for name, entry in zip(self.output_names, self.losses)
        ] if n > 1 else []
        self.built = True

    def __call__(self, y_true_list, y_pred_list, sample_weight=None):
        total = None
        sws = align_sample_weights(sample_weight, self.output_names)
        for i, (entry, yt, yp, sw) in enumerate(zip(self.losses, y_true_list, y_pred_list, sws)):
            if entry is None:
                continue
            loss_fn, weight = entry
            if yt is None:
                raise ValueError(f"No target was given for output {self.output_names[i]!r}, "
                                 "which has a loss.")
            value = loss_fn(yt, yp, sample_weight=sw)
            if self.per_output_trackers:
                self.per_output_trackers[i].update_state(value)
            value = value * weight if weight != 1.0 else value
            total = value if total is None else total + value
        return total

    @property
    def metrics(self):
        return [t for t in self.per_output_trackers if t is not None]


def _resolve_metric(identifier, y_true, y_pred):
    """A metric object; "accuracy"/"acc" picks the variant that fits the shapes (Keras's
    rule), and a string names the metric as written ("mse" logs as "mse")."""
    if _is_name(identifier, _ACCURACY_NAMES):
        is_binary, is_sparse = _binary_or_sparse(y_true, y_pred)
        cls = metrics_module.BinaryAccuracy if is_binary else \
            metrics_module.SparseCategoricalAccuracy if is_sparse else \
            metrics_module.CategoricalAccuracy
        return cls(name=identifier)
    metric = metrics_module.get(identifier)
    if not isinstance(metric, metrics_module.Metric):
        name = getattr(metric, "__name__", "metric")
        metric = metrics_module.MeanMetricWrapper(metric, name=name)
    if isinstance(identifier, str):
        metric.name = identifier
    if getattr(metric, "built", None) is False and hasattr(metric, "build"):
        # State sized from the data (F1Score, R2Score, multi-label AUC) must exist
        # before a step is compiled.
        metric.build(tuple(y_true.shape), tuple(y_pred.shape))
    return metric


def _metrics_per_output(spec, output_names, what):
    """Keras's layouts: for one output, everything applies to it; for several, a dict by
    output name, or a list with one entry (a metric or a list of them) per output. A
    list of a different length applies each metric to every output."""
    n = len(output_names)
    if n == 1:
        if isinstance(spec, dict):
            return [_per_output(spec, output_names, what)[0]]
        return [spec]
    if isinstance(spec, dict):
        return _per_output(spec, output_names, what)
    if isinstance(spec, (list, tuple)):
        if len(spec) == n:
            return list(spec)
        if any(isinstance(s, (list, tuple)) for s in spec):
            raise ValueError(f"In compile(), `{what}` is a list of {len(spec)} lists, but the "
                             f"model has {n} outputs ({output_names}).")
    return [spec] * n


class CompileMetrics:
    """The compiled metrics, per output; names get the output's name when there are several."""

    def __init__(self, metrics, weighted_metrics=None):
        self._spec = metrics
        self._weighted_spec = weighted_metrics
        self.built = False
        self.metrics_per_output = []

    def build(self, output_names, y_true_list, y_pred_list, compile_loss=None):
        multi = len(output_names) > 1
        self.output_names = list(output_names)
        self.metrics_per_output = [[] for _ in output_names]
        for spec, weighted in ((self._spec, False), (self._weighted_spec, True)):
            if not spec:
                continue
            what = "weighted_metrics" if weighted else "metrics"
            for i, entries in enumerate(_metrics_per_output(spec, self.output_names, what)):
                if entries is None:
                    continue
                if not isinstance(entries, (list, tuple)):
                    entries = [entries]
                for identifier in entries:
                    if identifier is None:
                        continue
                    metric = _resolve_metric(identifier, y_true_list[i], y_pred_list[i])
                    if multi:
                        metric.name = f"{output_names[i]}_{metric.name}"
                    if weighted and any(m.name == metric.name for m in self.metrics):
                        metric.name = f"weighted_{metric.name}"
                    self.metrics_per_output[i].append((metric, weighted))
        self.built = True

    def update_state(self, y_true_list, y_pred_list, sample_weight=None):
        sws = align_sample_weights(sample_weight, self.output_names)
        for metrics, yt, yp, sw in zip(self.metrics_per_output, y_true_list, y_pred_list, sws):
            for metric, weighted in metrics:
                metric.update_state(yt, yp, sample_weight=sw if weighted else None)

    @property
    def metrics(self):
        return [m for per_output in self.metrics_per_output for m, _ in per_output]
