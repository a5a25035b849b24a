"""torch: a two-process ``torchrun`` job (gloo over loopback) training with DataParallel
gives the weights of one process training on the same global batches."""
import os
import subprocess
import sys

import numpy as np
import pytest

from distribution_helpers import free_port
from kfront import config

pytestmark = pytest.mark.skipif(config.backend() != "torch", reason="runs in the torch session")
WORKER = os.path.join(os.path.dirname(__file__), "torch_worker.py")


def run(args, out):
    env = dict(os.environ, OMP_NUM_THREADS="1", KFRONT_BACKEND="torch")
    proc = subprocess.run([sys.executable, *args, WORKER, str(out)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return np.load(out)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("torch_dp")
    single = run([], tmp / "single.npz")
    launcher = ["-m", "torch.distributed.run", "--nproc_per_node=2",
                f"--master_port={free_port()}", "--master_addr=127.0.0.1"]
    multi = run(launcher, tmp / "multi.npz")
    return single, multi


def test_two_processes_are_two_replicas(results):
    single, multi = results
    assert int(single["world"]) == 1 and int(multi["world"]) == 2
    assert list(multi["devices"]) == ["cpu:0", "cpu:1"]


def test_data_parallel_equals_single_process(results):
    single, multi = results
    for i in range(4):
        np.testing.assert_allclose(multi[f"arr_{i}"], single[f"arr_{i}"], rtol=1e-5, atol=1e-6)
    # Logged metrics are reduced over the replicas.
    np.testing.assert_allclose(multi["loss"], single["loss"], rtol=1e-5)
    np.testing.assert_allclose(multi["mae"], single["mae"], rtol=1e-5)
    np.testing.assert_allclose(multi["eval_loss"], single["eval_loss"], rtol=1e-5)
    # Each replica predicts every row it is given.
    np.testing.assert_allclose(multi["predictions"], single["predictions"], atol=1e-6)
