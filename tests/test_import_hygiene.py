"""With one backend chosen, kfront never imports the other engines."""
import os
import subprocess
import sys

from kfront import config

ENGINE_MODULES = {"torch": "torch", "jax": "jax", "tensorflow": "tensorflow"}

SCRIPT = """
import sys, numpy as np
import kfront as keras
model = keras.Sequential([keras.layers.Dense(4, activation="relu", input_shape=(3,)),
                          keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((8, 3)), np.zeros((8, 1)), epochs=1, verbose=0)
model.predict(np.zeros((2, 3)), verbose=0)
print("applications loaded:", "kfront.applications" in sys.modules)
print(",".join(sorted(m for m in ("torch", "jax", "tensorflow") if m in sys.modules)))
"""


ENGINE_ALONE = """
import sys
import {module}
print(",".join(sorted(m for m in ("torch", "jax", "tensorflow") if m in sys.modules)))
"""


def _run(script, env):
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()


def _engines_loaded(script, env, lines=None):
    lines = lines or _run(script, env)
    return set(filter(None, lines[-1].split(",")))


def test_only_the_chosen_engine_is_imported():
    name = config.backend()
    env = dict(os.environ, KFRONT_BACKEND=name, OMP_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="3")
    # TensorFlow imports JAX by itself when both are installed; that is not kfront's doing.
    baseline = _engines_loaded(ENGINE_ALONE.format(module=ENGINE_MODULES[name]), env)
    lines = _run(SCRIPT, env)
    loaded = _engines_loaded(SCRIPT, env, lines)
    # The model zoo loads on first use (kfront.applications), not with kfront.
    assert "applications loaded: False" in lines
    assert name in loaded
    assert loaded == baseline, f"kfront on {name} also imported {sorted(loaded - baseline)}"
