"""Symbolic shape inference for the Functional API, shared by the adapters.

A layer called on ``KerasTensor``s runs its real ``call`` on stand-in tensors. Unknown
dimensions (``None``) get two different sizes in two runs; an output dimension that
differs between the runs is unknown too. The sizes are small (2 and 3) to keep the runs
cheap; when a call fails on them or gives an empty output (a 4x4 stride-4 window over an
image of unknown size), the unknown dimensions after the first get sizes large enough for
common windows and strides (64 and 96) and the call runs again. Adapters supply how stand-ins are made and run
(JAX traces abstractly; torch and TensorFlow run small zero tensors without gradients).
"""
from kfront.backend.keras_tensor import KerasTensor
from kfront.utils import tree

_PROBE_SIZES = (2, 3)
_LARGE_PROBE_SIZES = (64, 96)  # for non-batch dimensions, when the small sizes fail


def compute_output_spec(fn, args, kwargs, make_standin, run, output_shape_dtype):
    """Returns fn's output structure with every tensor replaced by a KerasTensor.

    make_standin(shape, dtype) -> engine stand-in; run(fn, args, kwargs) -> fn's output
    under the engine's tracing mode; output_shape_dtype(out) -> (shape tuple, dtype string).
    """
    retry = _has_unknown_inner_dims((args, kwargs))
    try:
        first, second = _probe(fn, args, kwargs, make_standin, run, _PROBE_SIZES)
    except Exception:
        if not retry:
            raise
        first = None
    if retry and (first is None or _empty(first, output_shape_dtype)
                  or _empty(second, output_shape_dtype)):
        # Some engines give an empty output instead of an error for a window larger than
        # the input: that size came from the probe, not from the layer.
        first, second = _probe(fn, args, kwargs, make_standin, run, _PROBE_SIZES,
                               _LARGE_PROBE_SIZES)
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


def _probe(fn, args, kwargs, make_standin, run, batch_sizes, inner_sizes=None):
    """fn's outputs on stand-ins, once per pair of sizes: an unknown first dimension takes
    the size from ``batch_sizes``, the others from ``inner_sizes`` (default: the same)."""
    results = []
    for i, batch in enumerate(batch_sizes):
        inner = batch if inner_sizes is None else inner_sizes[i]

        def standin(x):
            if isinstance(x, KerasTensor):
                shape = tuple((batch if axis == 0 else inner) if d is None else d
                              for axis, d in enumerate(x.shape))
                return make_standin(shape, x.dtype)
            return x

        a = tree.map_structure(standin, list(args))
        k = tree.map_structure(standin, dict(kwargs))
        results.append(run(fn, a, k))
    return results


def _empty(outputs, output_shape_dtype):
    return any(x is not None and 0 in output_shape_dtype(x)[0] for x in tree.flatten(outputs))


def _has_unknown_inner_dims(structure):
    return any(isinstance(x, KerasTensor) and None in tuple(x.shape)[1:]
               for x in tree.flatten(structure))
