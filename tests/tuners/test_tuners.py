"""The tuners on every backend: they find a near-optimal learning rate, resume a killed
search, share one study between processes, and refuse bad input clearly."""
import os
import subprocess
import sys

import numpy as np
import pytest

import kfront as keras
from kfront import tuners

pytest.importorskip("optuna")
sys.path.insert(0, os.path.dirname(__file__))
import tuning_task as task  # noqa: E402


def _outcome(tuner):
    return sorted((t.number, round(t.params["lr"], 12), round(t.value, 6))
                  for t in tuner.trials if t.state.name == "COMPLETE")


def test_random_search_records_trials_and_rebuilds_the_best(tmp_path, capsys):
    tuner = tuners.RandomSearch(task.build, objective="val_loss", max_trials=3, seed=7,
                                directory=tmp_path, project_name="rs")
    tuner.search(task.X, task.Y, **task.FIT)
    out = capsys.readouterr().out
    assert out.count("Trial 000") == 3 and "Results summary" in out
    best_hp = tuner.get_best_hyperparameters()[0]
    best_trial = min((t for t in tuner.trials), key=lambda t: t.value)
    assert best_hp["lr"] == pytest.approx(best_trial.params["lr"])
    model = tuner.get_best_models()[0]
    # The checkpoint is the trial's final model: its validation loss is the last epoch's.
    x_val, y_val = task.X[192:], task.Y[192:]
    assert model.evaluate(x_val, y_val, verbose=0) <= best_trial.value * 1.5 + 1e-3
    assert (tmp_path / "rs" / f"trial_{best_trial.number:04d}" / "trial.json").exists()


def test_resume_equals_an_uninterrupted_search(tmp_path):
    kwargs = dict(objective="val_loss", seed=3, directory=tmp_path, verbose=0)
    whole = tuners.RandomSearch(task.build, max_trials=4, project_name="whole", **kwargs)
    whole.search(task.X, task.Y, **task.FIT)
    first = tuners.RandomSearch(task.build, max_trials=2, project_name="resumed", **kwargs)
    first.search(task.X, task.Y, **task.FIT)          # "killed" after trial 2
    again = tuners.RandomSearch(task.build, max_trials=4, project_name="resumed", **kwargs)
    again.search(task.X, task.Y, **task.FIT)
    assert _outcome(again) == _outcome(whole)
    assert len(_outcome(whole)) == 4


def test_errors(tmp_path, monkeypatch):
    def empty(hp):
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        return model

    def uncompiled(hp):
        hp.Int("units", 1, 4)
        return keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])

    with pytest.raises(ValueError, match="The search space is empty"):
        tuners.RandomSearch(empty, directory=tmp_path, project_name="e")
    with pytest.raises(ValueError, match="returned a model that is not compiled"):
        tuners.RandomSearch(uncompiled, directory=tmp_path, project_name="u")
    with pytest.raises(ValueError, match="must return a compiled kfront model; it returned "
                                         "NoneType"):
        tuners.RandomSearch(lambda hp: hp.Int("a", 1, 2) and None, directory=tmp_path,
                            project_name="n")
    with pytest.raises(ValueError, match=r"unsupported argument\(s\) \['distribution_strategy'\]"):
        tuners.RandomSearch(task.build, directory=tmp_path, distribution_strategy=None)
    with pytest.raises(ValueError, match="`max_trials` must be an int >= 1"):
        tuners.RandomSearch(task.build, directory=tmp_path, max_trials=0)
    with pytest.raises(ValueError, match="`alpha` and `beta` tune KerasTuner's Gaussian"):
        tuners.BayesianOptimization(task.build, directory=tmp_path, alpha=0.1)
    tuner = tuners.RandomSearch(task.build, objective="val_accuracy", max_trials=1,
                                directory=tmp_path, project_name="obj", verbose=0)
    with pytest.raises(ValueError, match=r"'val_accuracy' was not logged by fit; logged: "
                                         r"\['loss', 'val_loss'\]"):
        tuner.search(task.X, task.Y, **task.FIT)
    monkeypatch.setitem(sys.modules, "optuna", None)
    with pytest.raises(ImportError, match=r'searches with Optuna: pip install "kfront\[tune\]"'):
        tuners.RandomSearch(task.build, directory=tmp_path, project_name="x")


def test_hyperband_brackets_and_pruning(tmp_path):
    from kfront.tuners.tuners import _bracket_trials
    assert _bracket_trials(9, 3) == 17 and _bracket_trials(1, 3) == 1
    with pytest.raises(ValueError, match="`max_trials` is not taken"):
        tuners.Hyperband(task.build, max_trials=3, directory=tmp_path)


@pytest.mark.slow
def test_each_tuner_gets_within_5_percent_of_the_grid_optimum(tmp_path):
    target = task.grid_optimum()
    found = {}
    for name, make in (
            ("random", lambda: tuners.RandomSearch(task.build, max_trials=8, seed=1,
                                                   directory=tmp_path, project_name="r",
                                                   verbose=0)),
            ("bayesian", lambda: tuners.BayesianOptimization(
                task.build, max_trials=8, num_initial_points=3, seed=1, directory=tmp_path,
                project_name="b", verbose=0)),
            ("hyperband", lambda: tuners.Hyperband(task.build, max_epochs=4, factor=2,
                                                   seed=1, directory=tmp_path,
                                                   project_name="h", verbose=0))):
        tuner = make()
        fit = dict(task.FIT)
        if name == "hyperband":
            fit.pop("epochs")
        tuner.search(task.X, task.Y, **fit)
        found[name] = min(t.value for t in tuner.trials if t.state.name == "COMPLETE")
    for name, best in found.items():
        assert best <= target * 1.05, (name, best, target)


_WORKER = """
import os, sys, time
sys.path.insert(0, {here!r})
import tuning_task as task
import kfront as keras
from kfront import tuners
tuner = tuners.RandomSearch(task.build, max_trials=6, seed=5, directory=sys.argv[1],
                            project_name="shared", verbose=0)
# Slow trials, so both processes are surely searching at the same time.
pause = keras.callbacks.LambdaCallback(on_epoch_end=lambda *a: time.sleep(0.4))
tuner.search(task.X, task.Y, callbacks=[pause], **task.FIT)
"""


@pytest.mark.slow
def test_two_processes_share_one_study(tmp_path):
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, KFRONT_BACKEND=keras.backend.backend(), OMP_NUM_THREADS="1",
               TF_CPP_MIN_LOG_LEVEL="3")
    script = _WORKER.format(here=here)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], env=env,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=900)
        assert p.returncode == 0, err[-2000:]
    tuner = tuners.RandomSearch(task.build, max_trials=6, seed=5, directory=tmp_path,
                                project_name="shared", verbose=0)
    done = [t for t in tuner.trials if t.state.name == "COMPLETE"]
    assert len(done) == 6
    owners = {tuple(t.user_attrs["owner"]) for t in done}
    assert len(owners) == 2                                # both processes ran trials
    assert len({t.number for t in done}) == 6              # none twice
    dirs = sorted(os.listdir(tmp_path / "shared"))
    assert len([d for d in dirs if d.startswith("trial_")]) == 6
