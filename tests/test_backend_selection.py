"""Which engine runs: KFRONT_BACKEND, then ~/.kfront/kfront.json, then the first installed."""
import json
import os
import subprocess
import sys

import pytest

from kfront import config


def _backend_in_subprocess(env_updates):
    env = {k: v for k, v in os.environ.items() if k != "KFRONT_BACKEND"}
    env.update(env_updates)
    proc = subprocess.run(
        [sys.executable, "-c", "import kfront; print(kfront.backend.backend())"],
        env=env, capture_output=True, text=True, timeout=300)
    return proc


def test_env_variable_wins(monkeypatch):
    monkeypatch.setenv("KFRONT_BACKEND", "JAX ")
    assert config._resolve_backend() == ("jax", "environment variable KFRONT_BACKEND")


def test_unknown_backend_lists_the_installed_ones(monkeypatch):
    monkeypatch.setenv("KFRONT_BACKEND", "mxnet")
    with pytest.raises(ValueError, match=r"Unknown backend 'mxnet' \(from KFRONT_BACKEND\)"
                                         r".*installed here: \["):
        config._resolve_backend()


def test_uninstalled_backend_says_how_to_install(monkeypatch):
    real = config.importlib.util.find_spec
    monkeypatch.setattr(config.importlib.util, "find_spec",
                        lambda name: None if name == "jax" else real(name))
    monkeypatch.setenv("KFRONT_BACKEND", "jax")
    with pytest.raises(ImportError, match=r"'jax' was requested.*not installed.*"
                                          r"pip install 'kfront\[jax\]'"):
        config._resolve_backend()


def test_config_file_then_first_installed(monkeypatch, tmp_path):
    monkeypatch.delenv("KFRONT_BACKEND", raising=False)
    monkeypatch.setenv("KFRONT_HOME", str(tmp_path))
    name, why = config._resolve_backend()
    assert name == config.installed_backends()[0]
    assert why.startswith("default: the first installed engine in the order torch, jax")
    (tmp_path / "kfront.json").write_text(json.dumps({"backend": "tensorflow"}))
    assert config._resolve_backend() == ("tensorflow",
                                         f"config file {tmp_path / 'kfront.json'}")


def test_no_engine_at_all(monkeypatch):
    monkeypatch.delenv("KFRONT_BACKEND", raising=False)
    monkeypatch.setenv("KFRONT_HOME", "/nonexistent-kfront-home")
    monkeypatch.setattr(config.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match="found no backend engine. Install one of"):
        config._resolve_backend()


def test_subprocess_import_picks_requested_backend():
    for name in config.installed_backends()[:1]:
        proc = _backend_in_subprocess({"KFRONT_BACKEND": name})
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip().splitlines()[-1] == name


def test_bad_backend_fails_at_import_with_one_clear_line():
    proc = _backend_in_subprocess({"KFRONT_BACKEND": "nope"})
    assert proc.returncode != 0
    assert "ValueError: Unknown backend 'nope'" in proc.stderr
