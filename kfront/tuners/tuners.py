"""The three tuners: the same search loop with different Optuna samplers and pruners."""
import math

from kfront.tuners.tuner import Tuner


class RandomSearch(Tuner):
    """Draws each trial's values at random (Optuna's ``RandomSampler``).

    >>> tuner = RandomSearch(build_model, objective="val_loss", max_trials=10,
    ...                      directory="tuning", project_name="mlp")
    >>> tuner.search(x, y, epochs=5, validation_split=0.2)
    >>> best_hp = tuner.get_best_hyperparameters()[0]
    """

    def _sampler(self, seed):
        return self._optuna.samplers.RandomSampler(seed=seed)


class BayesianOptimization(Tuner):
    """Model-based search: after ``num_initial_points`` random trials, Optuna's TPE sampler
    (a Bayesian optimizer with a tree-structured Parzen estimator in place of KerasTuner's
    Gaussian process) proposes the values most likely to improve on the best so far."""

    def __init__(self, hypermodel=None, objective=None, max_trials=10, num_initial_points=None,
                 alpha=1e-4, beta=2.6, seed=None, **kwargs):
        if alpha != 1e-4 or beta != 2.6:
            raise ValueError("BayesianOptimization: `alpha` and `beta` tune KerasTuner's "
                             "Gaussian process; kfront searches with Optuna's TPE sampler, "
                             "which has no such parameters. Leave them at their defaults.")
        if num_initial_points is not None and (isinstance(num_initial_points, bool) or
                                               not isinstance(num_initial_points, int) or
                                               num_initial_points < 1):
            raise ValueError("BayesianOptimization: `num_initial_points` must be a positive "
                             f"int, received {num_initial_points!r}.")
        self.num_initial_points = num_initial_points
        super().__init__(hypermodel, objective=objective, max_trials=max_trials, seed=seed,
                         **kwargs)

    def _sampler(self, seed):
        space = getattr(self, "hyperparameters", None)
        dims = len(space.space) if space is not None else 1
        startup = self.num_initial_points or max(3 * dims, 2)
        return self._optuna.samplers.TPESampler(seed=seed, n_startup_trials=startup)


class Hyperband(Tuner):
    """Hyperband: many trials start, few train long. Each trial runs ``fit`` for up to
    ``max_epochs`` and is stopped early (pruned) at the rungs where it falls behind, by
    Optuna's ``HyperbandPruner``; the trial count follows Hyperband's brackets."""

    def __init__(self, hypermodel=None, objective=None, max_epochs=100, factor=3,
                 hyperband_iterations=1, seed=None, **kwargs):
        for name, value, low in (("max_epochs", max_epochs, 1), ("factor", factor, 2),
                                 ("hyperband_iterations", hyperband_iterations, 1)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"Hyperband: `{name}` must be an int >= {low}, received "
                                 f"{value!r}.")
        if "max_trials" in kwargs:
            raise ValueError("Hyperband: the number of trials follows from `max_epochs`, "
                             "`factor` and `hyperband_iterations`; `max_trials` is not taken.")
        self.max_epochs = max_epochs
        self.factor = factor
        self.hyperband_iterations = hyperband_iterations
        super().__init__(hypermodel, objective=objective, seed=seed,
                         max_trials=hyperband_iterations * _bracket_trials(max_epochs, factor),
                         **kwargs)

    def _sampler(self, seed):
        return self._optuna.samplers.RandomSampler(seed=seed)

    def _pruner(self):
        return self._optuna.pruners.HyperbandPruner(min_resource=1, max_resource=self.max_epochs,
                                                    reduction_factor=self.factor)

    def _fit_overrides(self):
        return {"epochs": self.max_epochs}


def _bracket_trials(max_epochs, factor):
    """How many models Hyperband starts over its brackets (as KerasTuner counts them)."""
    s_max = int(math.floor(math.log(max_epochs, factor) + 1e-9))
    return sum(int(math.ceil((s_max + 1) / (s + 1) * factor ** s)) for s in range(s_max + 1))
