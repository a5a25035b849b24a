"""int8 x int8 products return exact int32 results on every engine, also where the adapter
computes them with float kernels (torch and TensorFlow): float32 up to 1024 summed terms,
float64 beyond."""
import numpy as np
import pytest

from kfront import ops
from kfront.backend.int8_products import einsum_terms, exact_float_dtype


@pytest.mark.parametrize("k", [7, 1024, 3000])
def test_int8_matmul_and_einsum_are_exact_at_the_extremes(k):
    rng = np.random.default_rng(k)
    a = rng.choice(np.array([-128, 127], "int8"), (3, k))
    b = rng.choice(np.array([-128, 127], "int8"), (k, 2))
    want = a.astype(np.int64) @ b.astype(np.int64)
    for out in (ops.matmul(a, b), ops.einsum("ij,jk->ik", a, b)):
        assert ops.convert_to_numpy(out).dtype == np.int32
        np.testing.assert_array_equal(ops.convert_to_numpy(out), want)


def test_the_float_kernel_is_chosen_by_the_number_of_summed_terms():
    assert exact_float_dtype(1024) == "float32"
    assert exact_float_dtype(1025) == "float64"
    assert exact_float_dtype(None) == "float64"
    assert einsum_terms("abc,cd->abd", [(2, 3, 4), (4, 5)]) == 4
    assert einsum_terms("ij,jk->", [(2, 3), (3, 4)]) == 24
    assert einsum_terms("...c,cd->...d", [(2, 7, 4), (4, 5)]) == 4
    assert einsum_terms("a...c,cd->a...d", [(2, 7, 4), (4, 5)]) == 4
    assert einsum_terms("...c,cd->d", [(2, 4), (4, 5)]) is None
    assert einsum_terms("ij,jk", [(2, 3), (3, 4)]) is None
