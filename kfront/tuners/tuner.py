"""``Tuner``: runs trials of a hypermodel, with Optuna choosing values and pruning.

Every trial is stored as it finishes in an Optuna study (SQLite in
``<directory>/<project_name>/study.db`` unless ``storage`` names a database server), with
its hyper-parameters and score; its model's weights go to
``<directory>/<project_name>/trial_<n>/``. So a killed search resumes where it stopped, and
several processes or machines sharing the storage run one search together: each trial is
claimed by exactly one of them, and ``max_trials`` counts them all.
"""
import json
import math
import os
import shutil
import socket
import time

from kfront.tuners import hypermodel as hypermodel_lib
from kfront.tuners import objective as objective_lib
from kfront.tuners._optuna import optuna
from kfront.tuners.hyperparameters import HyperParameters

_KNOWN_UNSUPPORTED = ("distribution_strategy", "logger", "max_model_size", "optimizer", "loss",
                      "metrics", "tuner_id", "oracle")


class Tuner:
    """The search loop shared by ``RandomSearch``, ``BayesianOptimization`` and
    ``Hyperband``; they differ in the Optuna sampler and pruner they use."""

    def __init__(self, hypermodel, objective=None, max_trials=10, executions_per_trial=1,
                 directory=None, project_name=None, overwrite=False, seed=None,
                 hyperparameters=None, tune_new_entries=True, allow_new_entries=True,
                 max_retries_per_trial=0, max_consecutive_failed_trials=3, storage=None,
                 verbose=1, **kwargs):
        bad = sorted(kwargs)
        if bad:
            known = [k for k in bad if k in _KNOWN_UNSUPPORTED]
            raise ValueError(f"{type(self).__name__}: unsupported argument(s) {bad}"
                             + (" (KerasTuner arguments kfront's tuners do not take)"
                                if known else "") + ".")
        for name, value, low in (("max_trials", max_trials, 1),
                                 ("executions_per_trial", executions_per_trial, 1),
                                 ("max_retries_per_trial", max_retries_per_trial, 0),
                                 ("max_consecutive_failed_trials",
                                  max_consecutive_failed_trials, 1)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"{type(self).__name__}: `{name}` must be an int >= {low}, "
                                 f"received {value!r}.")
        self._optuna = optuna()
        self.hypermodel = hypermodel_lib.standardize(hypermodel)
        self.objective = objective_lib.standardize(objective)
        self.max_trials = max_trials
        self.executions_per_trial = executions_per_trial
        self.max_retries_per_trial = max_retries_per_trial
        self.max_consecutive_failed_trials = max_consecutive_failed_trials
        self.seed = 0 if seed is None else int(seed)
        self.verbose = verbose
        self.directory = os.fspath(directory) if directory is not None else "."
        self.project_name = project_name or "untitled_project"
        self.project_dir = os.path.join(self.directory, self.project_name)
        self.tune_new_entries = tune_new_entries
        self.allow_new_entries = allow_new_entries
        if overwrite and os.path.isdir(self.project_dir):
            shutil.rmtree(self.project_dir)
        os.makedirs(self.project_dir, exist_ok=True)
        self.hyperparameters = self._initial_space(hyperparameters)
        self._storage_url = storage or "sqlite:///" + os.path.abspath(
            os.path.join(self.project_dir, "study.db"))
        self.study = self._open_study()

    # ---- what subclasses choose ----
    def _sampler(self, seed):
        raise NotImplementedError

    def _pruner(self):
        return self._optuna.pruners.NopPruner()

    def _fit_overrides(self):
        """Arguments of ``fit`` the tuner sets itself (Hyperband: ``epochs``)."""
        return {}

    # ---- set-up ----
    def _initial_space(self, hyperparameters):
        hp = hyperparameters.copy() if hyperparameters is not None else HyperParameters()
        declared = set(hp.space)
        model = self._build(hp)
        new = [n for n in hp.space if n not in declared]
        if new and hyperparameters is not None and not self.allow_new_entries:
            raise ValueError(f"build(hp) declares {new}, not in the given `hyperparameters`, "
                             "and allow_new_entries=False.")
        if new and hyperparameters is not None and not self.tune_new_entries:
            for name in new:
                hp.space[name].kind, hp.space[name].spec = "Fixed", {}
        tunable = [n for n, p in hp.space.items() if p.kind != "Fixed"]
        if not tunable:
            raise ValueError("The search space is empty: build(hp) declares no tunable "
                             "hyper-parameter (hp.Int, hp.Float, hp.Choice, hp.Boolean).")
        del model
        return hp

    def _build(self, hp):
        from kfront.models.model import Model
        model = self.hypermodel.build(hp)
        if not isinstance(model, Model):
            raise ValueError("The hypermodel's build(hp) must return a compiled kfront model; "
                             f"it returned {type(model).__name__}.")
        if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", True):
            raise ValueError("The hypermodel's build(hp) returned a model that is not "
                             "compiled: call model.compile(optimizer, loss, ...) in build.")
        return model

    def _open_study(self):
        if not self._storage_url.startswith("sqlite"):
            return self._create_study(self._storage_url)
        # Two processes starting at once would both create the SQLite schema, and one fails
        # ("table already exists"): the first to take the lock creates it.
        with _file_lock(os.path.join(self.project_dir, "study.lock")):
            storage = self._optuna.storages.RDBStorage(
                self._storage_url, engine_kwargs={"connect_args": {"timeout": 120}})
            return self._create_study(storage)

    def _create_study(self, storage):
        opt = self._optuna
        study = opt.create_study(
            storage=storage, study_name=self.project_name, load_if_exists=True,
            direction="minimize" if self.objective.direction == "min" else "maximize",
            sampler=self._sampler(self.seed), pruner=self._pruner())
        stored = study.user_attrs.get("objective")
        if stored is None:
            study.set_user_attr("objective", [self.objective.name, self.objective.direction])
        elif list(stored) != [self.objective.name, self.objective.direction]:
            raise ValueError(f"The study in {self.project_dir!r} optimizes {stored}, not "
                             f"{self.objective}: pass overwrite=True or another project_name.")
        return study

    # ---- the search ----
    def search(self, *fit_args, **fit_kwargs):
        """Runs trials until ``max_trials`` are done (by this process and any other sharing
        the study); arguments go to ``model.fit``."""
        opt = self._optuna
        self._fail_abandoned_trials()
        callbacks = list(fit_kwargs.pop("callbacks", None) or [])
        fit_kwargs.update(self._fit_overrides())
        failures = 0
        while self._claimed() < self.max_trials:
            trial = self.study.ask()
            if self._claimed(before=trial.number) >= self.max_trials:
                # Another process took the last slot between our count and our ask.
                trial.set_user_attr("over_budget", True)
                self.study.tell(trial, state=opt.trial.TrialState.FAIL)
                break
            trial.set_user_attr("owner", [socket.gethostname(), os.getpid()])
            self.study.sampler = self._sampler(self.seed + trial.number)
            try:
                self._run_trial(trial, fit_args, fit_kwargs, callbacks)
                failures = 0
            except _ObjectiveMissing:
                self.study.tell(trial, state=opt.trial.TrialState.FAIL)
                raise
            except Exception as e:  # noqa: BLE001 - a failed trial is recorded, then counted
                failures += 1
                trial.set_user_attr("error", f"{type(e).__name__}: {str(e)[:500]}")
                self.study.tell(trial, state=opt.trial.TrialState.FAIL)
                self._print(f"Trial {trial.number:04d} failed: {type(e).__name__}: {e}")
                if failures >= self.max_consecutive_failed_trials:
                    raise RuntimeError(f"{failures} consecutive trials failed; the last error: "
                                       f"{type(e).__name__}: {e}") from e
        if self.verbose:
            self.results_summary(num_trials=min(10, self.max_trials))

    def _claimed(self, before=None):
        """Trials that count towards ``max_trials``: finished or in progress."""
        states = self._optuna.trial.TrialState
        return sum(1 for t in self.study.get_trials(deepcopy=False)
                   if t.state in (states.COMPLETE, states.PRUNED, states.RUNNING)
                   and (before is None or t.number < before))

    def _fail_abandoned_trials(self):
        """A trial left running by a process of this host that no longer exists (a killed
        search) is marked failed, so resuming runs a new one in its place."""
        from kfront.saving.file_io import _pid_is_dead
        states = self._optuna.trial.TrialState
        for t in self.study.get_trials(deepcopy=False, states=(states.RUNNING,)):
            owner = t.user_attrs.get("owner")
            if owner and owner[0] == socket.gethostname() and _pid_is_dead(int(owner[1])):
                self.study._storage.set_trial_state_values(t._trial_id, states.FAIL)

    def _run_trial(self, trial, fit_args, fit_kwargs, callbacks):
        from kfront.utils import set_random_seed
        start = time.time()
        hp = self.hyperparameters._bound(trial)
        scores, best_model, best_score, pruned = [], None, None, False
        for execution in range(self.executions_per_trial):
            set_random_seed(self.seed + 1000 * trial.number + execution)
            model = self._build(hp)
            reporter = _Reporter(trial, self.objective, report=execution == 0)
            result = self.hypermodel.fit(hp, model, *fit_args,
                                         callbacks=callbacks + [reporter], **fit_kwargs)
            score = self._score(result)
            scores.append(score)
            if best_model is None or self.objective.better(score, best_score):
                best_model, best_score = model, score
            if reporter.pruned:
                pruned = True
                break
        value = sum(scores) / len(scores)
        trial_dir = os.path.join(self.project_dir, f"trial_{trial.number:04d}")
        os.makedirs(trial_dir, exist_ok=True)
        best_model.save_weights(os.path.join(trial_dir, "checkpoint.weights.h5"))
        values = {n: v for n, v in hp.values.items()}
        with open(os.path.join(trial_dir, "trial.json"), "w") as f:
            json.dump({"trial": trial.number, "hyperparameters": values, "score": value,
                       "pruned": pruned}, f, indent=2)
        trial.set_user_attr("values", values)
        states = self._optuna.trial.TrialState
        if pruned:
            self.study.tell(trial, state=states.PRUNED)
        else:
            self.study.tell(trial, value)
        shown = ", ".join(f"{k}={_short(v)}" for k, v in values.items())
        best = self._best_value()
        self._print(f"Trial {trial.number:04d} [{time.time() - start:.1f} s] {shown} -> "
                    f"{self.objective.name}={value:.6g}" + (" (pruned)" if pruned else "")
                    + (f"; best so far {best:.6g}" if best is not None else ""))

    def _score(self, result):
        """The trial's score: the best epoch's value of the objective."""
        name = self.objective.name
        if hasattr(result, "history") and isinstance(result.history, dict):
            logs = result.history
        elif isinstance(result, dict):
            logs = result
        elif isinstance(result, (int, float)):
            return float(result)
        else:
            raise _ObjectiveMissing(f"fit returned {type(result).__name__}: return the History, "
                                    "a dict of logs or a number.")
        if name not in logs:
            raise _ObjectiveMissing(
                f"The objective {name!r} was not logged by fit; logged: {sorted(logs)}. "
                "Pass validation data for a 'val_' objective, or add the metric to compile().")
        values = logs[name] if isinstance(logs[name], (list, tuple)) else [logs[name]]
        values = [float(v) for v in values if v is not None and not math.isnan(float(v))]
        if not values:
            return math.inf if self.objective.direction == "min" else -math.inf
        return self.objective.best_of(values)

    # ---- results ----
    def _completed(self):
        states = self._optuna.trial.TrialState
        trials = [t for t in self.study.get_trials(deepcopy=False, states=(states.COMPLETE,))]
        return sorted(trials, key=lambda t: (t.value if self.objective.direction == "min"
                                             else -t.value, t.number))

    def _best_value(self):
        done = self._completed()
        return done[0].value if done else None

    def _hp_of(self, trial):
        hp = self.hyperparameters.copy()
        hp.values = dict(trial.user_attrs.get("values", trial.params))
        return hp

    def get_best_hyperparameters(self, num_trials=1):
        """``HyperParameters`` of the best finished trials, best first."""
        return [self._hp_of(t) for t in self._completed()[:num_trials]]

    def get_best_models(self, num_models=1):
        """The best trials' models, rebuilt and loaded with their saved weights."""
        models = []
        for t in self._completed()[:num_models]:
            model = self._build(self._hp_of(t))
            model.load_weights(os.path.join(self.project_dir, f"trial_{t.number:04d}",
                                            "checkpoint.weights.h5"))
            models.append(model)
        return models

    def search_space_summary(self, extended=False):
        space = self.hyperparameters.space
        lines = ["Search space summary", f"Default search space size: {len(space)}"]
        lines += [p.describe() for p in space.values()]
        self._print("\n".join(lines), force=True)

    def results_summary(self, num_trials=10):
        done = self._completed()[:num_trials]
        lines = ["Results summary", f"Results in {self.project_dir}",
                 f"Showing {len(done)} best trials", repr(self.objective)]
        names = list(self.hyperparameters.space)
        rows = [[str(t.number)] + [_short(t.user_attrs.get("values", t.params).get(n, "-"))
                                   for n in names] + [f"{t.value:.6g}"] for t in done]
        header = ["trial"] + names + ["score"]
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
        lines.append("")
        for row in [header] + rows:
            lines.append("  ".join(c.rjust(w) for c, w in zip(row, widths)))
        self._print("\n".join(lines), force=True)

    @property
    def trials(self):
        """Every trial of the study (Optuna ``FrozenTrial``s), in order."""
        return self.study.get_trials()

    def _print(self, text, force=False):
        if self.verbose or force:
            print(text, flush=True)


class _file_lock:
    """An exclusive lock on ``path`` (POSIX ``flock``; elsewhere a no-op, where concurrent
    first starts must be staggered)."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        self._file = open(self.path, "a")
        try:
            import fcntl
            fcntl.flock(self._file, fcntl.LOCK_EX)
        except ImportError:
            pass
        return self

    def __exit__(self, *exc):
        self._file.close()                      # closing releases the lock


class _ObjectiveMissing(ValueError):
    pass


def _short(v):
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _reporter_base():
    from kfront.callbacks.callback import Callback
    return Callback


class _Reporter(_reporter_base()):
    """Reports the objective to Optuna after every epoch and stops ``fit`` when the pruner
    says the trial cannot win."""

    def __init__(self, trial, objective, report=True):
        super().__init__()
        self.trial = trial
        self.objective = objective
        self.report = report
        self.pruned = False

    def on_epoch_end(self, epoch, logs=None):
        if not self.report:
            return
        value = (logs or {}).get(self.objective.name)
        if value is None:
            return
        self.trial.report(float(value), epoch)
        if self.trial.should_prune():
            self.pruned = True
            self.model.stop_training = True
