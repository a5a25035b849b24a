"""One optimizer step gives the same numbers on every engine: each optimizer runs several
steps from identical weights and gradients in one process per engine (the backend is fixed
at import), and the weights and optimizer state agree to float32 rounding.

The comparison runs once, in the session of the first installed engine.
"""
import os
import sys

import numpy as np
import pytest

from kfront import config

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)
from engine_processes import run_per_engine  # noqa: E402

installed = config.installed_backends()

pytestmark = pytest.mark.skipif(
    config.backend() != installed[0] or len(installed) < 2,
    reason="cross-backend comparison runs once, in the first installed backend's session")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return run_per_engine(os.path.join(HERE, "optimizer_worker.py"), installed,
                          lambda engine: tmp_path_factory.mktemp(f"optimizers_{engine}"))


def test_every_optimizer_ran_and_moved_the_weights(results):
    reference = results[installed[0]]
    names = {k.split("/")[0] for k in reference if "/weight/" in k}
    assert len(names) == 14
    for name in names:
        assert not np.allclose(reference[f"{name}/weight/0"], reference["initial/0"]), name


@pytest.mark.parametrize("kind", ["weight", "state"])
def test_engines_agree_to_float32_rounding(results, kind):
    reference = results[installed[0]]
    keys = [k for k in reference if f"/{kind}/" in k]
    assert keys
    for name in installed[1:]:
        assert sorted(k for k in results[name] if f"/{kind}/" in k) == sorted(keys)
        for key in keys:
            assert results[name][key].dtype == reference[key].dtype, key
            np.testing.assert_allclose(results[name][key], reference[key], rtol=1e-5,
                                       atol=1e-6, err_msg=f"{key} on {name}")
