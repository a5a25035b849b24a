"""Shared test settings: the backend comes from KFRONT_BACKEND (one pytest run per engine)."""
import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture
def backend_name():
    import kfront
    return kfront.backend.backend()


# Slow checks run once per suite run, on one backend, so the three-backend suite stays short:
# KFRONT_SLOW_BACKENDS names where they run ("torch" by default; "all" or "none").
# Checks marked ``sampled("group")`` (several minutes each, e.g. one application family)
# are sampled: a run takes one test of each group, a different one each day, so every test
# of the group runs in turn; KFRONT_SAMPLED=all runs them all (and "none" none).
# Checks marked ``sampled_elsewhere("group")`` (the same engine-agnostic check repeated on
# each engine, e.g. the examples' training runs) run in full where slow checks run and are
# sampled, as above, on the other backends.
def pytest_collection_modifyitems(config, items):
    import kfront
    where = os.environ.get("KFRONT_SLOW_BACKENDS", "torch")
    current = kfront.backend.backend()
    full = where == "all" or current in where.split(",")
    _sample(items, ("sampled",) if full else ("sampled", "sampled_elsewhere"))
    if full:
        return
    skip = pytest.mark.skip(reason=f"slow: runs on {where} (KFRONT_SLOW_BACKENDS)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def _sample(items, markers):
    import datetime
    mode = os.environ.get("KFRONT_SAMPLED", "daily")
    if mode == "all":
        return
    groups = {}
    for item in items:
        for name in markers:
            marker = item.get_closest_marker(name)
            if marker is not None:
                group = (name, marker.args[0] if marker.args else "")
                groups.setdefault(group, []).append(item)
    day = datetime.date.today().toordinal()
    for (_, group), members in groups.items():
        members.sort(key=lambda i: i.nodeid)
        chosen = None if mode == "none" else members[day % len(members)]
        for item in members:
            if item is not chosen:
                item.add_marker(pytest.mark.skip(
                    reason=f"sampled: one '{group}' test a day runs (KFRONT_SAMPLED=all "
                           "runs them all)"))
