"""``import kfront`` pauses the cyclic garbage collector and leaves it as it found it,
whether the import succeeds or fails."""
import os
import subprocess
import sys

import pytest


def _run(code, backend):
    env = dict(os.environ, KFRONT_BACKEND=backend)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_state_is_restored(backend_name, enabled):
    setup = "" if enabled else "gc.disable(); "
    out = _run(f"import gc; {setup}import kfront; print(gc.isenabled())", backend_name)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == str(enabled)


def test_collector_is_back_on_after_a_failed_import(backend_name):
    code = ("import gc\n"
            "try:\n    import kfront\nexcept Exception as e:\n    print(type(e).__name__)\n"
            "print(gc.isenabled())")
    out = _run(code, "no_such_engine")
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.split()
    assert lines[-1] == "True" and len(lines) == 2, out.stdout
