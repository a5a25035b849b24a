"""TensorFlow on two logical CPU devices: kfront's DataParallel and a user's own
``MirroredStrategy`` scope train to the weights of one device with the same global batch."""
import os

import pytest

from distribution_helpers import assert_same_training, run_worker
from kfront import config

pytestmark = pytest.mark.skipif(config.backend() != "tensorflow",
                                reason="runs in the tensorflow session")
WORKER = os.path.join(os.path.dirname(__file__), "tf_worker.py")


@pytest.fixture(scope="module")
def results():
    return run_worker(WORKER)


def test_two_logical_devices(results):
    assert results["devices"] == ["cpu:0", "cpu:1"]
    assert results["single"]["replicas"] == 1


@pytest.mark.parametrize("mode", ["data_parallel", "user_scope"])
def test_mirrored_training_equals_single_device(results, mode):
    assert results[mode]["replicas"] == 2
    assert results[mode]["distributed"].startswith("Mirrored")
    assert_same_training(results[mode], results["single"])


def test_uneven_batch_is_refused(results):
    assert "5 samples cannot be split evenly over 2 replicas" in results["errors"]["batch"]
