"""Fused LSTM/GRU kernels on TensorFlow (the optional ``lstm``/``gru`` of the contract, see
``kfront/layers/rnn/_fused.py``): Keras's formulas with the input projection of all time
steps in one matmul before the recurrence.

The recurrence carries a hand-written backward pass (``tf.custom_gradient``): a recurrence
in reverse time over the gates the forward pass saved. Left to the gradient tape, every
step's dozen ops would be recorded and differentiated one by one (slow to trace when
unrolled), or a ``tf.while_loop`` would stack each intermediate (slow to run). Both
directions run ``BLOCK_STEPS`` steps per loop iteration, unrolled in Python: most of an
unrolled graph's speed (few ops per step, no per-step loop bookkeeping) at a fraction of
its tracing time. Up to ``UNROLL_MAX_STEPS`` steps known while tracing are unrolled whole;
unknown lengths loop step by step. Everything computes in the inputs' dtype (the compute
dtype under mixed precision).
"""
import tensorflow as tf

__all__ = ["lstm", "gru"]

# Measured on Embedding + LSTM(32) over 100 steps (benchmarks/, lstm): blocks of 10 steps
# train about as fast as unrolling all 100 (1.5x the step-by-step loop) and trace about
# as fast as that loop; larger blocks gain little speed for more tracing. Up to two blocks'
# worth, unrolling whole has as many ops as looping and no loop.
UNROLL_MAX_STEPS = 20
BLOCK_STEPS = 10

# The derivative of sigmoid / tanh from their outputs, one op each.
_d_sigmoid = tf.raw_ops.SigmoidGrad
_d_tanh = tf.raw_ops.TanhGrad


def _projected(inputs, kernel, bias, go_backwards):
    """Time-major ``x @ kernel + bias`` for all steps in one matmul: (time, batch, k)."""
    x = tf.convert_to_tensor(inputs)
    kernel = tf.cast(kernel, x.dtype)
    # Transposing the inputs, not the projection: the features are usually narrower.
    x = tf.transpose(x, [1, 0, 2])
    if go_backwards:
        x = tf.reverse(x, [0])
    shape = tf.shape(x)
    flat = tf.matmul(tf.reshape(x, [-1, shape[2]]), kernel)
    if bias is not None:
        flat = flat + tf.cast(bias, x.dtype)
    proj = tf.reshape(flat, tf.concat([shape[:2], [-1]], 0))
    proj.set_shape(x.shape[:2].concatenate([kernel.shape[-1]]))
    return proj


def _unrolled(fn, carry, xs, steps, reverse=False):
    """``steps`` calls of ``fn(carry, x_t) -> (carry, y_t)`` in Python (last step first with
    ``reverse``); ys stacked in time order either way."""
    slices = list(zip(*[tf.unstack(x, num=steps) for x in xs]))
    ys = [None] * steps
    for t in (reversed(range(steps)) if reverse else range(steps)):
        carry, ys[t] = fn(carry, slices[t])
    return carry, [tf.stack(y) for y in zip(*ys)]


def _looped(fn, carry, xs, y_shapes, block, n, reverse=False):
    """A ``tf.while_loop`` over ``n`` blocks of ``block`` steps of the time-major ``xs``,
    each block unrolled in the loop's body; with ``reverse``, from the last block back."""
    blocks = [tf.reshape(x[:n * block], tf.concat([[n, block], tf.shape(x)[1:]], 0))
              for x in xs]
    arrays = [tf.TensorArray(xs[0].dtype, size=n,
                             element_shape=tf.TensorShape([block]).concatenate(shape))
              for shape in y_shapes]

    def body(i, arrays, carry):
        j = n - 1 - i if reverse else i
        carry, ys = _unrolled(fn, carry, [b[j] for b in blocks], block, reverse)
        return i + 1, [a.write(j, y) for a, y in zip(arrays, ys)], carry

    _, arrays, carry = tf.while_loop(lambda i, *_: i < n, body, (tf.constant(0), arrays, carry))
    ys = []
    for a in arrays:
        y = a.stack()
        ys.append(tf.reshape(y, tf.concat([[-1], tf.shape(y)[2:]], 0)))
    return carry, ys


def _scan(fn, carry, xs, y_shapes, reverse=False):
    """Runs ``fn(carry, x_t) -> (carry, y_t)`` over the time-major tensors ``xs``; the
    ``y_t`` have the static shapes ``y_shapes`` and the dtype of ``xs``.

    Returns ``(carry, ys)``, ys time-major. Known lengths unroll whole (short) or loop over
    blocks and unroll the remainder; unknown lengths loop over single steps. ``reverse``
    runs from the last step to the first (the backward passes) without reversing any
    tensor: the ys still come back in time order.
    """
    steps = xs[0].shape[0]
    if steps is not None and steps <= UNROLL_MAX_STEPS:
        return _unrolled(fn, carry, xs, steps, reverse)
    if steps is None:
        return _looped(fn, carry, xs, y_shapes, 1, tf.shape(xs[0])[0], reverse)
    n, rest = divmod(steps, BLOCK_STEPS)
    if not rest:
        return _looped(fn, carry, xs, y_shapes, BLOCK_STEPS, n, reverse)
    # The remainder after the blocks: run first when going backwards, last otherwise.
    tail = [x[n * BLOCK_STEPS:] for x in xs]
    if reverse:
        carry, tail_ys = _unrolled(fn, carry, tail, rest, reverse)
    carry, ys = _looped(fn, carry, xs, y_shapes, BLOCK_STEPS, n, reverse)
    if not reverse:
        carry, tail_ys = _unrolled(fn, carry, tail, rest)
    return carry, [tf.concat([y, t], 0) for y, t in zip(ys, tail_ys)]


def _shifted(initial, states):
    """The states before each step: ``initial`` then all but the last of ``states``."""
    return tf.concat([initial[None], states[:-1]], 0)


def _matmul_all_steps(a, b):
    """``sum_t a[t].T @ b[t]`` for time-major (time, batch, m) and (time, batch, k)."""
    return tf.matmul(tf.reshape(a, [-1, a.shape[-1]]), tf.reshape(b, [-1, b.shape[-1]]),
                     transpose_a=True)


def _lstm_recurrence(proj, h0, c0, rk):
    """``(hs (time, batch, u), last c)`` of the LSTM over the time-major projected inputs."""

    @tf.custom_gradient
    def run(proj, h0, c0, rk):
        def step(carry, x):
            h, c = carry
            z = x[0] + tf.matmul(h, rk)
            # One sigmoid over all four blocks (the c block's is unused): fewer ops.
            i, f, _, o = tf.split(tf.sigmoid(z), 4, axis=-1)
            g = tf.tanh(tf.split(z, 4, axis=-1)[2])
            c = f * c + i * g
            tc = tf.tanh(c)
            h = o * tc
            return (h, c), (h, c, i, f, g, o, tc)

        _, (hs, cs, *saved) = _scan(step, (h0, c0), [proj], [h0.shape] * 7)

        def grad(d_hs, d_c):
            d_hs = tf.zeros_like(hs) if d_hs is None else d_hs
            d_c = tf.zeros_like(c0) if d_c is None else d_c
            xs = [_shifted(c0, cs), d_hs] + saved

            def back(carry, x):
                dh, dc = carry
                c, d_h, i, f, g, o, tc = x
                dh = dh + d_h
                dc = dc + _d_tanh(y=tc, dy=dh * o)
                dz = tf.concat([_d_sigmoid(y=i, dy=dc * g), _d_sigmoid(y=f, dy=dc * c),
                                _d_tanh(y=g, dy=dc * i), _d_sigmoid(y=o, dy=dh * tc)], -1)
                return (tf.matmul(dz, rk, transpose_b=True), dc * f), (dz,)

            (dh0, dc0), (dz,) = _scan(back, (tf.zeros_like(h0), d_c), xs,
                                      [h0.shape[:1].concatenate(proj.shape[-1:])],
                                      reverse=True)
            return dz, dh0, dc0, _matmul_all_steps(_shifted(h0, hs), dz)

        return (hs, cs[-1]), grad

    return run(proj, h0, c0, rk)


def lstm(inputs, h, c, kernel, recurrent_kernel, bias=None, go_backwards=False):
    """Keras's LSTM (tanh/sigmoid, gates i, f, c, o).

    ``kernel`` (features, 4u), ``recurrent_kernel`` (u, 4u), ``bias`` (4u,) or None, in
    Keras's layout. Returns ``(last_output, outputs, [h, c])``; outputs batch-major in
    processing order, as ``rnn`` gives them.
    """
    proj = _projected(inputs, kernel, bias, go_backwards)
    rk = tf.cast(tf.convert_to_tensor(recurrent_kernel), proj.dtype)
    hs, c = _lstm_recurrence(proj, tf.cast(h, proj.dtype), tf.cast(c, proj.dtype), rk)
    h = hs[-1]
    return h, tf.transpose(hs, [1, 0, 2]), [h, c]


def _gru_recurrence(proj, h0, rk, rec_bias):
    """``hs`` (time, batch, u) of the GRU over the time-major projected inputs."""
    u = h0.shape[-1]

    @tf.custom_gradient
    def run(proj, h0, rk, *rec_bias):
        def step(carry, x):
            h = carry[0]
            inner = tf.matmul(h, rk)
            if rec_bias:
                inner = inner + rec_bias[0]
            x_zr, x_h = tf.split(x[0], [2 * u, u], axis=-1)
            r_zr, r_h = tf.split(inner, [2 * u, u], axis=-1)
            z, r = tf.split(tf.sigmoid(x_zr + r_zr), 2, axis=-1)
            hh = tf.tanh(x_h + r * r_h)
            one_minus_z = 1 - z
            h = z * h + one_minus_z * hh
            return (h,), (h, z, r, hh, r_h, one_minus_z)

        _, (hs, *saved) = _scan(step, (h0,), [proj], [h0.shape] * 6)

        def grad(d_hs):
            d_hs = tf.zeros_like(hs) if d_hs is None else d_hs
            h_prev = _shifted(h0, hs)
            xs = [h_prev, d_hs] + saved

            def back(carry, x):
                h, d_h, z, r, hh, r_h, one_minus_z = x
                dh = carry[0] + d_h
                da_z = _d_sigmoid(y=z, dy=dh * (h - hh))
                da_h = _d_tanh(y=hh, dy=dh * one_minus_z)
                da_r = _d_sigmoid(y=r, dy=da_h * r_h)
                d_inner = tf.concat([da_z, da_r, da_h * r], -1)
                dh = dh * z + tf.matmul(d_inner, rk, transpose_b=True)
                return (dh,), (tf.concat([da_z, da_r, da_h], -1), d_inner)

            shape = h0.shape[:1].concatenate(proj.shape[-1:])
            (dh0,), (dx, d_inner) = _scan(back, (tf.zeros_like(h0),), xs, [shape, shape],
                                          reverse=True)
            grads = [dx, dh0, _matmul_all_steps(h_prev, d_inner)]
            if rec_bias:
                grads.append(tf.reduce_sum(d_inner, axis=[0, 1]))
            return grads

        return hs, grad

    return run(proj, h0, rk, *([] if rec_bias is None else [rec_bias]))


def gru(inputs, h, kernel, recurrent_kernel, bias=None, go_backwards=False):
    """Keras's GRU with ``reset_after=True`` (tanh/sigmoid, gates z, r, h).

    ``bias`` is Keras's (2, 3u) pair (input, recurrent) or None. Returns
    ``(last_output, outputs, [h])``.
    """
    proj = _projected(inputs, kernel, None if bias is None else bias[0], go_backwards)
    rk = tf.cast(tf.convert_to_tensor(recurrent_kernel), proj.dtype)
    rec_bias = None if bias is None else tf.cast(bias[1], proj.dtype)
    hs = _gru_recurrence(proj, tf.cast(h, proj.dtype), rk, rec_bias)
    h = hs[-1]
    return h, tf.transpose(hs, [1, 0, 2]), [h]
