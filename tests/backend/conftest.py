"""Test settings of the backend suite."""


def pytest_configure(config):
    # Deselect with ``-m "not slow"``; these compare with the installed keras.
    config.addinivalue_line("markers", "slow: slower checks, e.g. against the installed keras")
