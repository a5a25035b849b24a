"""``python -m kfront info`` and the command dispatcher."""
import json
import os
import subprocess
import sys

import pytest

import kfront
from kfront import __main__ as cli
from kfront.cli import info

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_report_names_backend_reason_engines_and_devices():
    report = info.collect(device_lister=lambda name: [f"cpu:0-{name}"])
    assert report["backend"] == kfront.backend.backend()
    assert report["backend_source"] == kfront.config.backend_source()
    assert report["floatx"] == "float32" and report["image_data_format"] == "channels_last"
    assert report["backend"] in report["engines"]
    for name, entry in report["engines"].items():
        assert entry["devices"] == [f"cpu:0-{name}"]
        assert entry["version"]
    text = info.format_report(report)
    assert f"backend: {report['backend']}  (chosen by {report['backend_source']})" in text
    assert f" * {report['backend']}" in text
    assert "optional packages:" in text and "graphviz dot" in text


def test_backend_source_is_the_env_variable_in_the_test_run():
    # tests/run_all_backends.py sets KFRONT_BACKEND for each pass.
    if os.environ.get("KFRONT_BACKEND"):
        assert kfront.config.backend_source() == "environment variable KFRONT_BACKEND"


def test_dispatcher(capsys):
    assert cli.main(["--help"]) == 0
    assert "info" in capsys.readouterr().out
    assert cli.main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err
    assert cli.main([]) == 2


def test_command_line_json():
    env = dict(os.environ, KFRONT_BACKEND=kfront.backend.backend(), TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-m", "kfront", "info", "--json", "--no-devices"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["backend"] == kfront.backend.backend()
    assert "devices" not in report["engines"][report["backend"]]


@pytest.mark.slow
def test_each_engine_reports_a_cpu():
    for name in kfront.config.installed_backends():
        devices = info.engine_devices(name)
        assert isinstance(devices, list) and any(d.startswith("cpu") for d in devices), devices
