"""Symbolic shape inference for the Functional API, shared by the adapters.

A layer called on ``KerasTensor``s runs its real ``call`` on stand-in tensors. Unknown
dimensions (``None``) get two different sizes in two runs; an output dimension that
differs between the runs is unknown too. Adapters supply how stand-ins are made and run
(JAX traces abstractly; torch and TensorFlow run small zero tensors without gradients).
"""
from kfront.backend.keras_tensor import KerasTensor
from kfront.utils import tree

_PROBE_SIZES = (2, 3)


def compute_output_spec(fn, args, kwargs, make_standin, run, output_shape_dtype):
    """Returns fn's output structure with every tensor replaced by a KerasTensor.

    make_standin(shape, dtype) -> engine stand-in; run(fn, args, kwargs) -> fn's output
    under the engine's tracing mode; output_shape_dtype(out) -> (shape tuple, dtype string).
    """
    results = []
    for size in _PROBE_SIZES:
        def standin(x, size=size):
            if isinstance(x, KerasTensor):
                return make_standin(tuple(size if d is None else d for d in x.shape), x.dtype)
            return x

        a = tree.map_structure(standin, list(args))
        k = tree.map_structure(standin, dict(kwargs))
        results.append(run(fn, a, k))
    first, second = results
    flat_first = tree.flatten(first)
    flat_second = tree.flatten(second)

    specs = []
    for x1, x2 in zip(flat_first, flat_second):
        if x1 is None:
            specs.append(None)
            continue
        shape1, dtype = output_shape_dtype(x1)
        shape2, _ = output_shape_dtype(x2)
        shape = tuple(d1 if d1 == d2 else None for d1, d2 in zip(shape1, shape2))
        specs.append(KerasTensor(shape, dtype=dtype))
    return tree.pack_sequence_as(first, specs)
