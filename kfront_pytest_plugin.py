"""The pytest plugin: a user's test, once per backend.

A test that takes the ``backend`` fixture, or is marked ``@pytest.mark.kfront_backends(...)``,
runs once per backend (the marker's names, or every installed one): in this process for the
backend this run uses, and in a fresh ``pytest`` process with ``KFRONT_BACKEND`` set for each
other one (a backend is chosen once per process; one process per backend runs all the
tests that want it). ``--kfront-current-backend-only`` runs only
the current one, for CI matrices that run pytest once per engine. ``backend`` is the backend's
name. Other tests are left alone.

Loaded automatically once kfront is installed (entry point ``pytest11``), or with
``pytest -p kfront.testing.pytest_plugin``. The module lives outside the ``kfront`` package so
that pytest starting up in an environment with kfront installed imports neither kfront nor
an engine: kfront is imported only when a test asks for a backend (so ``KFRONT_BACKEND`` set
by a ``conftest.py`` still counts).
"""
import json
import os
import subprocess
import sys
import tempfile

import pytest

CHILD = "KFRONT_PYTEST_CHILD"
CHILD_REPORT = "KFRONT_PYTEST_CHILD_REPORT"
MARKER = "kfront_backends"
FIXTURE = "backend"
ENTRY_POINT = "kfront"
_OUTCOMES = pytest.StashKey()


def pytest_addhooks(pluginmanager):
    # Asked for by module name (``-p kfront.testing.pytest_plugin``) while installed: the
    # entry point named "kfront" would register this module a second time, which pytest
    # refuses. Its name is blocked so that it is skipped.
    if pluginmanager.get_plugin(ENTRY_POINT) is None and not \
            pluginmanager.is_blocked(ENTRY_POINT):
        pluginmanager.set_blocked(ENTRY_POINT)


def pytest_addoption(parser):
    parser.getgroup("kfront").addoption(
        "--kfront-current-backend-only", action="store_true", default=False,
        help="run tests that use the `backend` fixture or the kfront_backends marker on the "
             "backend this process uses (KFRONT_BACKEND) only")


def pytest_configure(config):
    config.addinivalue_line("markers", f"{MARKER}(*names): run the test once per named backend "
                            "(all installed ones without names), each other than the current "
                            "one in its own process")


def _current():
    from kfront import config
    return config.backend()


def pytest_generate_tests(metafunc):
    marker = metafunc.definition.get_closest_marker(MARKER)
    if marker is None and FIXTURE not in metafunc.fixturenames:
        return
    if any(FIXTURE in getattr(m, "args", ("",))[0] for m in
           metafunc.definition.iter_markers("parametrize")):
        return  # the user parametrizes `backend` themselves
    from kfront import config
    names = list(marker.args) if marker is not None and marker.args else \
        config.installed_backends()
    unknown = [n for n in names if n not in config.KNOWN_BACKENDS]
    if unknown:
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: @pytest.mark.{MARKER} names "
                                f"{unknown}; expected some of {list(config.KNOWN_BACKENDS)}.")
    current_only = metafunc.config.getoption("kfront_current_backend_only") or \
        os.environ.get(CHILD)
    if current_only:
        names = [n for n in names if n == _current()]
    if FIXTURE not in metafunc.fixturenames:
        metafunc.fixturenames.append(FIXTURE)  # a marked test without the argument
    params = []
    for name in names:
        marks = ()
        if name not in config.installed_backends():
            marks = (pytest.mark.skip(reason=f"backend {name} is not installed"),)
        params.append(pytest.param(name, id=name, marks=marks))
    if not params:
        params = [pytest.param(None, id="none", marks=pytest.mark.skip(
            reason=f"marked for {marker.args if marker else 'no backends'}; this run uses "
                   f"{_current()}"))]
    metafunc.parametrize(FIXTURE, params, indirect=True)


@pytest.fixture
def backend(request):
    """The backend this test runs on (a name: "torch", "jax" or "tensorflow")."""
    return getattr(request, "param", None) or _current()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    callspec = getattr(pyfuncitem, "callspec", None)
    name = callspec.params.get(FIXTURE) if callspec else None
    if name is None or name == _current() or os.environ.get(CHILD):
        return None
    outcome = _outcome_in_child(pyfuncitem, name)
    if outcome is None:
        pytest.fail(f"{pyfuncitem.nodeid}: the process for backend {name} did not run this "
                    "test (does its collection depend on the backend?)", pytrace=False)
    if outcome["outcome"] == "skipped":
        pytest.skip(f"on backend {name}: {outcome['text']}")
    if outcome["outcome"] != "passed":
        pytest.fail(f"{pyfuncitem.nodeid} failed on backend {name} (in its own process):\n"
                    f"{outcome['text']}", pytrace=False)
    return True


def pytest_runtest_logreport(report):
    """In a child process: each test's outcome, for the parent to report."""
    path = os.environ.get(CHILD_REPORT) if os.environ.get(CHILD) else None
    if not path or (report.when != "call" and report.passed):
        return
    with open(path, "a") as f:
        f.write(json.dumps({"nodeid": report.nodeid, "outcome": report.outcome,
                            "text": _report_text(report)}) + "\n")


def _report_text(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2])
    return report.longreprtext


def _outcome_in_child(item, name):
    """The outcome of ``item`` on backend ``name``. The first such test runs every test of
    the session that wants ``name`` in one child ``pytest`` (one process per backend, not per
    test); the outcomes are kept for the others."""
    session = item.session
    cache = session.stash.setdefault(_OUTCOMES, {})
    if name not in cache:
        wanted = [i.nodeid for i in session.items if getattr(i, "callspec", None) is not None
                  and i.callspec.params.get(FIXTURE) == name]
        cache[name] = _run_child(item.config, name, wanted)
    return cache[name].get(item.nodeid)


def _run_child(config, name, nodeids):
    """``{nodeid: {"outcome", "text"}}`` from ``pytest nodeids`` with KFRONT_BACKEND=name."""
    args = [sys.executable, "-m", "pytest", *nodeids, "-q", "-p", "no:cacheprovider",
            "--kfront-current-backend-only", "--rootdir", str(config.rootpath)]
    if config.inipath:
        args += ["-c", str(config.inipath)]
    # The plugin is there already when installed (entry point); otherwise ask for it.
    if config.pluginmanager.get_plugin(ENTRY_POINT) is None:
        args += ["-p", "kfront.testing.pytest_plugin"]
    with tempfile.TemporaryDirectory(prefix="kfront-pytest-") as folder:
        path = os.path.join(folder, "outcomes.jsonl")
        env = dict(os.environ, KFRONT_BACKEND=name, **{CHILD: "1", CHILD_REPORT: path})
        proc = subprocess.run(args, cwd=str(config.invocation_params.dir), env=env,
                              capture_output=True, text=True)
        outcomes = {}
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    entry = json.loads(line)
                    # A failed setup or teardown outranks a passed call.
                    if outcomes.get(entry["nodeid"], {}).get("outcome") != "failed":
                        outcomes[entry["nodeid"]] = entry
    if not outcomes and proc.returncode not in (0, 5):
        message = f"pytest on backend {name} failed before running tests:\n" + \
            proc.stdout[-4000:] + proc.stderr[-2000:]
        return {nodeid: {"outcome": "failed", "text": message} for nodeid in nodeids}
    return outcomes
