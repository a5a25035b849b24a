"""Runs a script of examples/ on the current backend, as a user would."""
import os
import subprocess
import sys

from kfront import config

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


def run(name, *args):
    """``(values, stdout)``: ``values`` are the ``key=value`` pairs of the script's last line
    starting with ``backend=``, checked to name the current backend."""
    env = dict(os.environ, KFRONT_BACKEND=config.backend(), OMP_NUM_THREADS="1",
               TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, os.path.join(EXAMPLES, name), *map(str, args)],
                          env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("backend=")][-1]
    values = dict(kv.split("=") for kv in line.split())
    assert values["backend"] == config.backend()
    return values, proc.stdout
