"""Engine adapters, installed as ``kfront.backends.<name>``. Only these import an engine."""
