"""A save killed mid-write leaves a `.kfront-*.tmp`; the next save in that folder clears
the temporaries whose writer is gone, and never a live writer's."""
import os
import signal
import subprocess
import sys
import time

import kfront as keras
from kfront.saving import file_io
from saving_models import sequential_model

_KILLED_SAVE = r'''
import os, signal, sys
from kfront.saving.file_io import atomic_write
def write(f):
    f.write(b"partial")
    f.flush()
    os.kill(os.getpid(), signal.SIGKILL)
atomic_write(os.path.join(sys.argv[1], "m.kfront"), write)
'''


def _temporaries(d):
    return sorted(n for n in os.listdir(d) if n.startswith(".kfront-") and n.endswith(".tmp"))


def _dead_pid():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_save_leaves_a_temporary_the_next_save_clears(tmp_path):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", _KILLED_SAVE, str(tmp_path)], env=env,
                          capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert len(_temporaries(tmp_path)) == 1 and not (tmp_path / "m.kfront").exists()
    sequential_model().save(tmp_path / "m.kfront")
    assert _temporaries(tmp_path) == []
    keras.models.load_model(tmp_path / "m.kfront")


def test_only_temporaries_whose_writer_is_gone_are_removed(tmp_path):
    host, me, dead = file_io._HOST, os.getpid(), _dead_pid()
    names = {
        "dead": f".kfront-{host}-{dead}-abcd1234.tmp",
        "alive": f".kfront-{host}-{me}-abcd1234.tmp",       # a concurrent writer
        "other_host": f".kfront-00000000-{dead}-abcd1234.tmp",  # pid says nothing here
        "legacy_fresh": ".kfront-abcd1234.tmp",
        "legacy_old": ".kfront-efgh5678.tmp",
        "alive_old": f".kfront-{host}-{me}-old00000.tmp",
        "unrelated": ".kfront-notes.txt",
    }
    for name in names.values():
        (tmp_path / name).write_bytes(b"x")
    long_ago = time.time() - file_io.STALE_AFTER_SECONDS - 60
    for key in ("legacy_old", "alive_old"):
        os.utime(tmp_path / names[key], (long_ago, long_ago))
    os.mkdir(tmp_path / f".kfront-{host}-{dead}-dir00000.tmp")  # not a file: kept
    file_io.clear_stale_temporaries(tmp_path)
    left = set(os.listdir(tmp_path))
    assert left == {names["alive"], names["other_host"], names["legacy_fresh"],
                    names["unrelated"], f".kfront-{host}-{dead}-dir00000.tmp"}


def test_saving_writes_temporaries_named_after_host_and_pid(tmp_path):
    seen = []
    file_io.atomic_write(tmp_path / "f.bin", lambda f: seen.append(os.listdir(tmp_path)))
    (name,) = [n for n in seen[0] if n.endswith(".tmp")]
    assert name.startswith(f".kfront-{file_io._HOST}-{os.getpid()}-")
    assert file_io._TEMPORARY.fullmatch(name)
