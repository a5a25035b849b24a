"""The pytest plugin: a user's test once per backend, in its own process per backend."""
import os
import shutil
import subprocess
import sys

import pytest

import kfront

HERE = os.path.dirname(os.path.abspath(__file__))


def _pytest(tmp_path, *args, diverge=False, autoload=True):
    text = open(os.path.join(HERE, "user_tests.py")).read()
    if diverge:
        text = text.replace("DIVERGE = False", "DIVERGE = True")
    (tmp_path / "test_user_file.py").write_text(text)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    if not autoload:
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env.pop("KFRONT_PYTEST_CHILD", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "kfront.testing.pytest_plugin",
                           "-p", "no:cacheprovider", "-v", "test_user_file.py", *args],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)


def test_current_backend_only_runs_here_and_leaves_other_tests_alone(tmp_path):
    proc = _pytest(tmp_path, "--kfront-current-backend-only", autoload=False)
    current = kfront.backend.backend()
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    out = proc.stdout
    assert f"test_dense_matches_numpy[{current}] PASSED" in out
    assert "test_untouched PASSED" in out
    assert out.count("test_dense_matches_numpy[") == 1
    if current == "tensorflow":  # the marker names torch and jax only
        assert "test_marked_without_the_fixture[none] SKIPPED" in out
    else:
        assert f"test_marked_without_the_fixture[{current}] PASSED" in out


@pytest.mark.slow
def test_every_backend_passes_and_a_divergent_test_fails_readably(tmp_path):
    installed = kfront.config.installed_backends()
    proc = _pytest(tmp_path, diverge=True)
    out = proc.stdout
    assert proc.returncode == 1, out[-3000:] + proc.stderr[-2000:]
    for name in installed:
        assert f"test_dense_matches_numpy[{name}] PASSED" in out
    assert "test_diverges[torch] PASSED" in out
    for name in set(installed) - {"torch"}:
        assert f"test_diverges[{name}] FAILED" in out
        if name != kfront.backend.backend():  # the current one runs in this pytest
            assert f"test_diverges[{name}] failed on backend {name} (in its own process)" \
                in out
        assert f"the number is {'2.0' if name == 'jax' else '3.0'} on {name}" in out
    assert "test_marked_without_the_fixture[tensorflow]" not in out


def test_pytest_start_up_imports_neither_kfront_nor_an_engine(tmp_path):
    """The plugin loads in every pytest run once kfront is installed: it must not import
    kfront (and with it an engine) until a test asks for a backend."""
    (tmp_path / "test_plain.py").write_text(
        "import sys\n\n\ndef test_plain():\n"
        "    assert 'kfront' not in sys.modules and 'torch' not in sys.modules\n")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(tmp_path / "test_plain.py")], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:]
