"""``kfront.testing``: check that a model gives the same numbers on every backend.

- ``record(name, value)`` marks a value for ``python -m kfront compare SCRIPT``;
- ``assert_backends_agree(fn, *args)`` runs an importable function once per backend, each in
  its own process, and compares what it returns;
- the pytest plugin ``kfront.testing.pytest_plugin`` (loaded automatically once kfront is
  installed) gives the ``backend`` fixture and the ``kfront_backends`` marker.
"""
from kfront.testing.agree import assert_backends_agree, run_on_backends  # noqa: F401
from kfront.testing.recording import clear, record, recorded  # noqa: F401
