"""What a layer parity case is: a layer factory, its inputs, and the tolerance.

Spec files live in ``tests/parity/layer_cases/*.py``; each defines ``SPECS``, a list of
``spec(...)``. The worker builds every layer with the same seed on each engine, feeds the
same inputs and records outputs, input gradients and weight gradients.
"""
from dataclasses import dataclass, field


@dataclass
class Input:
    shape: tuple
    dtype: str = "float32"
    maxval: int = 10          # integer inputs are drawn from [0, maxval)
    name: str = None


@dataclass
class Spec:
    id: str
    make: object              # () -> layer (called after set_random_seed)
    inputs: list              # of Input; a list of several means the layer takes a list
    call_kwargs: dict = field(default_factory=dict)
    rtol: float = 1e-5
    atol: float = 1e-6
    why: str = ""             # the reason when rtol/atol are looser than the default
    as_list: bool = False     # pass inputs as one list argument (merge layers)


def spec(id, make, inputs, call_kwargs=None, rtol=1e-5, atol=1e-6, why="", as_list=False):
    inputs = [i if isinstance(i, Input) else Input(tuple(i)) for i in inputs]
    if (rtol > 1e-5 or atol > 1e-6) and not why:
        raise ValueError(f"parity spec {id!r}: a looser tolerance needs a reason (`why=`).")
    return Spec(id, make, inputs, dict(call_kwargs or {}), rtol, atol, why, as_list)
