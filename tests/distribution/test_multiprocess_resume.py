"""Two real OS processes over loopback, started the way each engine starts a job (torchrun;
jax.distributed and TF_CONFIG workers), train the digits MLP data parallel. The job is killed
after its first epoch and started again: it resumes from the backup and ends with the weights
of one process training straight through."""
import os
import subprocess
import sys

import numpy as np
import pytest

from distribution_helpers import free_port
from kfront import config

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "examples", "distributed_digits.py")
BACKEND = config.backend()


def launch(args, processes):
    """Runs the script as a job of ``processes`` processes; returns their exit codes."""
    env = dict(os.environ, KFRONT_BACKEND=BACKEND, OMP_NUM_THREADS="1",
               TF_CPP_MIN_LOG_LEVEL="3")
    if processes == 1:
        commands = [[sys.executable, SCRIPT, *args]]
    elif BACKEND == "torch":
        commands = [[sys.executable, "-m", "torch.distributed.run",
                     f"--nproc_per_node={processes}", "--master_addr=127.0.0.1",
                     f"--master_port={free_port()}", SCRIPT, *args]]
    else:
        ports = [free_port() for _ in range(processes if BACKEND == "tensorflow" else 1)]
        addresses = ",".join(f"127.0.0.1:{p}" for p in ports)
        commands = [[sys.executable, SCRIPT, *args, "--job-addresses", addresses,
                     "--num-processes", str(processes), "--process-id", str(i)]
                    for i in range(processes)]
    procs = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for c in commands]
    outputs = [p.communicate(timeout=600) for p in procs]
    return [p.returncode for p in procs], outputs


@pytest.mark.sampled_elsewhere("process-runs")
def test_killed_job_resumes_to_the_same_weights(tmp_path):
    common = ["--epochs", "2", "--batch-size", "64"]
    codes, outputs = launch([*common, "--save", str(tmp_path / "single.npz")], 1)
    assert codes == [0], outputs[0][1][-3000:]
    backup = str(tmp_path / "backup")
    codes, outputs = launch([*common, "--backup-dir", backup, "--stop-after-epoch", "1"], 2)
    # torchrun reports the workers' failure; the other launchers are the workers.
    assert all(code != 0 for code in codes), outputs
    assert os.path.isdir(backup) and os.listdir(backup)
    codes, outputs = launch([*common, "--backup-dir", backup,
                             "--save", str(tmp_path / "resumed.npz")], 2)
    assert all(code == 0 for code in codes), [o[1][-3000:] for o in outputs]
    log = "".join(o[0] for o in outputs)
    assert "processes=2" in log
    # The resumed job ran only the epochs the killed one had not finished.
    assert "Epoch 1/2" not in log and "Epoch 2/2" in log, log[-2000:]
    single, resumed = np.load(tmp_path / "single.npz"), np.load(tmp_path / "resumed.npz")
    for key in single.files:
        np.testing.assert_allclose(resumed[key], single[key], rtol=1e-5, atol=1e-6)
