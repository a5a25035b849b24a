"""Runs a parity worker script once per installed engine, each in its own process (the
backend is fixed at import), and returns ``{engine: {key: array}}`` from their npz files."""
import os
import subprocess
import sys

import numpy as np


def run_per_engine(worker, engines, tmp_dir_for, timeout=600):
    """``worker``: a script taking the output path; ``tmp_dir_for(engine)``: a new folder."""
    results = {}
    for engine in engines:
        target = tmp_dir_for(engine) / "results.npz"
        env = {**os.environ, "KFRONT_BACKEND": engine, "OMP_NUM_THREADS": "1",
               "TF_CPP_MIN_LOG_LEVEL": "3"}
        done = subprocess.run([sys.executable, worker, str(target)], env=env, text=True,
                              capture_output=True, timeout=timeout)
        if done.returncode != 0:
            raise AssertionError(f"the {engine} worker failed:\n{done.stderr[-3000:]}")
        with np.load(target) as data:
            results[engine] = {key: data[key] for key in data.files}
    return results
