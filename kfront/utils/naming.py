"""Names: snake_case conversion and unique default names for layers and models."""
import collections
import re

_counts = collections.defaultdict(int)


def to_snake_case(name):
    """Keras's default-name rule: ``Conv2D`` -> ``conv2d``, ``UpSampling2D`` ->
    ``up_sampling2d``, ``SimpleRNN`` -> ``simple_rnn``.

    Digits stay glued to the word before them (Keras 3 and Keras 2 both name ``Conv2D``
    ``conv2d``), so weight keys written by Keras match ours.
    """
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base):
    """'dense', 'dense_1', 'dense_2', ... per process (reset by ``clear_session``)."""
    n = _counts[base]
    _counts[base] += 1
    return base if n == 0 else f"{base}_{n}"


def get_uid(prefix=""):
    """The next integer for ``prefix`` (1, 2, ...), counted with the default layer names:
    after a first ``Dense`` layer, ``get_uid("dense")`` is 2."""
    _counts[prefix] += 1
    return _counts[prefix]


def reset_names():
    _counts.clear()
