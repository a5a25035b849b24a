"""The ```python blocks of every documentation page run, on the current backend, and the site
builds with `mkdocs build --strict`."""
import concurrent.futures
import os
import re
import subprocess
import sys

import pytest

import kfront

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(ROOT, "docs")
# A page whose code runs in the default run of every backend; every page runs where slow tests
# run (tests/conftest.py), each in its own process, several at a time.
FAST = "guides/custom-training-steps.md"


def pages():
    found = []
    for folder, _, files in os.walk(DOCS):
        for name in files:
            if name.endswith(".md"):
                found.append(os.path.relpath(os.path.join(folder, name), DOCS))
    return sorted(found)


def python_blocks(text):
    """The ```python blocks of a page (```py blocks are shown, not run)."""
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_block_extraction():
    text = "x\n```python\na = 1\n```\n```py\nnot run\n```\n```python\nb = a\n```\n"
    assert python_blocks(text) == ["a = 1\n", "b = a\n"]


def test_every_guide_has_running_code():
    for page in pages():
        if page.startswith("guides/") and page != "guides/ci-matrix.md":
            with open(os.path.join(DOCS, page)) as f:
                assert python_blocks(f.read()), f"{page} has no ```python block"


def run_page(page, folder):
    """Runs a page's python blocks as one script in ``folder``; returns None or the error."""
    with open(os.path.join(DOCS, page)) as f:
        code = "\n".join(python_blocks(f.read()))
    if not code:
        return None
    script = os.path.join(folder, "page.py")
    with open(script, "w") as f:
        f.write(code)
    env = dict(os.environ, KFRONT_BACKEND=kfront.backend.backend(), TF_CPP_MIN_LOG_LEVEL="3",
               MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, script], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=600)
    if proc.returncode != 0:
        return f"{page}:\n{proc.stdout[-1500:]}\n{proc.stderr[-3000:]}"
    return None


def test_one_page_runs(tmp_path):
    assert run_page(FAST, str(tmp_path)) is None


@pytest.mark.slow
def test_every_page_runs(tmp_path):
    listed = pages()
    folders = [tmp_path / str(i) for i in range(len(listed))]
    for folder in folders:
        folder.mkdir()
    with concurrent.futures.ThreadPoolExecutor(max(2, (os.cpu_count() or 2) // 2)) as pool:
        errors = [e for e in pool.map(run_page, listed, map(str, folders)) if e]
    assert not errors, "\n\n".join(errors)


@pytest.mark.slow
def test_site_builds_strict(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                           "-f", os.path.join(ROOT, "mkdocs.yml"), "-d", str(tmp_path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    with open(tmp_path / "api" / "layers" / "index.html") as f:
        layers = f.read()
    assert 'id="kfront.layers.core.dense.Dense"' in layers
    with open(tmp_path / "guides" / "comparing-backends" / "index.html") as f:
        assert "python -m kfront compare" in f.read()
