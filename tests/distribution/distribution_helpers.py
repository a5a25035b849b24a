"""Shared by the distribution tests: run a worker script, compare two trainings."""
import json
import os
import socket
import subprocess
import sys

import numpy as np


def run_worker(script):
    """Runs ``script`` in a fresh interpreter; returns the JSON of its last output line."""
    env = dict(os.environ, OMP_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, script], env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def assert_same_training(result, reference):
    """Weights and logged numbers agree to float32 rounding (relative error 1e-5)."""
    for got, want in zip(result["weights"], reference["weights"]):
        np.testing.assert_allclose(np.array(got), np.array(want), rtol=1e-5, atol=1e-6)
    for key in ("loss", "mae", "eval_loss"):
        if key in reference:
            np.testing.assert_allclose(result[key], reference[key], rtol=1e-5)


def free_port():
    """A loopback TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
