"""Exact int8 products through floating-point kernels (used by the torch and TensorFlow
adapters, whose CPU integer matmuls are many times slower than their float ones).

Every product of two int8 values is at most 128 * 128 = 2**14 in magnitude, so a sum of
``k`` of them stays below 2**14 * k. float32 holds every integer below 2**24 exactly and
float64 every integer below 2**53: computed in the first of them that is wide enough, each
partial sum is exact in any summation order, and the result cast back is the int32 product.
"""

_FLOAT32_MAX_TERMS = 2 ** 24 // 2 ** 14  # 1024


def exact_float_dtype(terms):
    """The float dtype whose matmul gives exact int8 products summed over ``terms``
    (float64 when the count is unknown)."""
    return "float32" if terms is not None and terms <= _FLOAT32_MAX_TERMS else "float64"


def einsum_terms(subscripts, shapes):
    """How many products each output element of ``einsum(subscripts, ...)`` sums (the
    product of the summed indices' sizes); None when it cannot be read (an implicit output,
    ellipsis axes that are summed, unknown sizes)."""
    subscripts = subscripts.replace(" ", "")
    if "->" not in subscripts:
        return None
    inputs, output = subscripts.split("->")
    if "..." in inputs and "..." not in output:
        return None
    sizes = {}
    for term, shape in zip(inputs.split(","), shapes):
        # Named indices before an ellipsis are leading axes, those after it trailing ones.
        before, _, after = term.partition("...")
        if "..." in term:
            if len(before) + len(after) > len(shape):
                return None
            named = list(zip(before, shape)) + list(zip(after, shape[len(shape) - len(after):]))
        elif len(term) != len(shape):
            return None
        else:
            named = zip(term, shape)
        sizes.update(named)
    terms = 1
    for index in set(inputs.replace(",", "").replace(".", "")) - set(output):
        if sizes[index] is None:
            return None
        terms *= sizes[index]
    return terms
