"""JAX on 4 virtual CPU devices: data-parallel and model-parallel ``fit`` give the weights of
single-device ``fit`` with the same global batch, and mis-built distributions are refused
before training."""
import os

import pytest

from distribution_helpers import assert_same_training, run_worker
from kfront import config

pytestmark = pytest.mark.skipif(config.backend() != "jax", reason="runs in the jax session")
WORKER = os.path.join(os.path.dirname(__file__), "jax_worker.py")


@pytest.fixture(scope="module")
def results():
    return run_worker(WORKER)


def test_four_virtual_devices(results):
    assert results["devices"] == ["cpu:0", "cpu:1", "cpu:2", "cpu:3"]


def test_data_parallel_equals_single_device(results):
    assert_same_training(results["data_parallel"], results["single"])
    # Weights are replicated on all four devices.
    assert all(replicated and devices == 4
               for _, replicated, devices in results["data_parallel"]["shardings"])


def test_model_parallel_equals_single_device(results):
    assert_same_training(results["model_parallel"], results["single"])
    kernels = results["model_parallel"]["shardings"][0::2]
    assert all("'model'" in spec and not replicated for spec, replicated, _ in kernels), kernels


def test_mis_built_distributions_are_refused(results):
    errors = results["errors"]
    assert "6 samples cannot be split evenly over 4 replicas" in errors["batch"]
    assert "needs 6 devices, but 4 are given" in errors["mesh"]
    assert "distribution was set after the model's variables were created" in errors["late"]
    assert "'encoder/kernel' matches no variable" in errors["layout"]
