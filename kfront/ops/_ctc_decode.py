"""CTC decoding (greedy and prefix beam search) behind ``kfront.ops.ctc_decode``, written
against the ``kfront.ops`` namespace ``ops``.

The beam search keeps, per sample, ``beam_width`` distinct label prefixes with the log
probabilities of the paths that end in a blank and in the prefix's last label, as
TensorFlow's ``ctc_beam_search_decoder`` does; a prefix reached both by extending a beam and
as a kept beam of its own is merged before pruning.
"""
import numpy as np

# A finite stand-in for log(0): sums of it stay far below any real score and never give NaN.
NEG = -1e30
ALIVE = -1e29

STRATEGIES = ("greedy", "beam_search")


def _logaddexp(ops, a, b):
    return ops.logsumexp(ops.stack([a, b], axis=-1), axis=-1)


def _check(inputs_shape, strategy, beam_width, top_paths, mask_index):
    if strategy not in STRATEGIES:
        raise ValueError(f"ctc_decode: invalid strategy {strategy!r}. Supported values are "
                         "'greedy' and 'beam_search'.")
    if len(inputs_shape) != 3:
        raise ValueError("ctc_decode: `inputs` must be (batch, steps, classes). Received: "
                         f"inputs.shape={inputs_shape}")
    classes = inputs_shape[-1]
    if mask_index is not None and not -classes <= mask_index < classes:
        raise ValueError(f"ctc_decode: `mask_index` must index one of the {classes} classes. "
                         f"Received: mask_index={mask_index!r}")
    if strategy == "beam_search":
        for name, value in (("beam_width", beam_width), ("top_paths", top_paths)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"ctc_decode: `{name}` must be a positive int. Received: "
                                 f"{name}={value!r}")
        if top_paths > beam_width:
            raise ValueError(f"ctc_decode: `top_paths` must be <= `beam_width`. Received: "
                             f"top_paths={top_paths}, beam_width={beam_width}")


def decode(ops, inputs, sequence_lengths, strategy, beam_width, top_paths, merge_repeated,
           mask_index):
    inputs = ops.convert_to_tensor(inputs)
    if ops.dtype(inputs) not in ("float32", "float64"):
        inputs = ops.cast(inputs, "float32")
    shape = tuple(ops.shape(inputs))
    _check(shape, strategy, beam_width, top_paths, mask_index)
    classes = shape[-1]
    mask_index = classes - 1 if mask_index is None else mask_index % classes
    lengths = ops.cast(ops.convert_to_tensor(sequence_lengths), "int32")
    if strategy == "greedy":
        return _greedy(ops, inputs, lengths, merge_repeated, mask_index)
    return _beam_search(ops, inputs, lengths, int(beam_width), int(top_paths), mask_index)


def _greedy(ops, inputs, lengths, merge_repeated, blank):
    steps = ops.shape(inputs)[1]
    best = ops.cast(ops.argmax(inputs, axis=-1), "int32")
    score = ops.max(inputs, axis=-1)
    past_end = ops.expand_dims(ops.arange(steps, dtype="int32"), 0) >= ops.expand_dims(lengths, 1)
    best = ops.where(past_end, blank, best)
    score = ops.where(past_end, ops.zeros_like(score), score)
    if merge_repeated:
        repeat = best[:, 1:] == best[:, :-1]
        repeat = ops.concatenate([ops.zeros_like(repeat[:, :1]), repeat], axis=1)
        best = ops.where(repeat, blank, best)
    dropped = best == blank
    best = ops.where(dropped, -1, best)
    # Emitted labels move to the front, in order; dropped steps (-1) to the back.
    key = ops.where(dropped, steps, ops.expand_dims(ops.arange(steps, dtype="int32"), 0))
    best = ops.take_along_axis(best, ops.argsort(key, axis=-1), axis=-1)
    return ops.expand_dims(best, 0), ops.expand_dims(-ops.sum(score, axis=1), 1)


def _beam_search(ops, inputs, lengths, width, top_paths, blank):
    steps, classes = tuple(ops.shape(inputs))[1:]
    dtype = ops.dtype(inputs)
    logp = ops.log_softmax(inputs, axis=-1)
    neg = ops.convert_to_tensor(NEG, dtype=dtype)
    positions = ops.arange(steps, dtype="int32")
    class_ids = ops.arange(classes, dtype="int32")
    not_blank = ops.convert_to_tensor(np.arange(classes) != blank)

    # The state: one empty prefix (the root, all blank so far) and width - 1 unused beams.
    # Built by broadcasting against the batch, which may be unknown while tracing.
    zero = ops.cast(ops.zeros_like(inputs[:, 0, :1]), "int32")
    zero_f = ops.cast(zero, dtype)
    prefix = ops.expand_dims(zero, -1) + ops.full((1, width, steps), -1, dtype="int32")
    size = zero + ops.zeros((1, width), dtype="int32")
    last = zero + ops.full((1, width), -1, dtype="int32")
    first = np.full((1, width), NEG, dtype=dtype)
    first[0, 0] = 0.0
    p_blank = zero_f + ops.convert_to_tensor(first)
    p_label = zero_f + ops.full((1, width), NEG, dtype=dtype)

    for t in range(steps):
        x = logp[:, t, :]
        total = _logaddexp(ops, p_blank, p_label)
        alive = total > ALIVE
        # Staying on the prefix: a blank, or the last label once more.
        stay_blank = total + x[:, blank:blank + 1]
        x_last = ops.take_along_axis(x, ops.maximum(last, 0), axis=1)
        stay_label = p_label + x_last
        # Extending by label c: after the last label only through a blank.
        after = ops.where(ops.expand_dims(last, -1) == class_ids, ops.expand_dims(p_blank, -1),
                          ops.expand_dims(total, -1))
        grow = ops.where(not_blank, after + ops.expand_dims(x, 1), neg)
        # Beam j extends beam i when j's prefix minus its last label is i's prefix.
        stem = ops.where(ops.expand_dims(positions, 0) == ops.expand_dims(size - 1, -1), -1,
                         prefix)
        parent = ops.all(ops.expand_dims(stem, 2) == ops.expand_dims(prefix, 1), axis=-1)
        parent = parent & ops.expand_dims(alive & (size > 0), 2) & ops.expand_dims(alive, 1)
        # grow[i, last[j]] for every pair (j, i): one term of each sum is nonzero.
        is_last = ops.cast(ops.expand_dims(last, -1) == class_ids, dtype)
        reach = ops.einsum("bik,bjk->bji", grow, is_last)
        merged = ops.max(ops.where(parent, reach, neg), axis=-1)
        stay_label = _logaddexp(ops, stay_label, merged)
        # An extension that is already a beam was merged into it just above.
        taken = ops.any(ops.expand_dims(parent, -1)
                        & ops.expand_dims(ops.expand_dims(last, -1) == class_ids, 2), axis=1)
        grow = ops.where(taken, neg, grow)

        candidates = ops.concatenate(
            [_logaddexp(ops, stay_blank, stay_label), ops.reshape(grow, (-1, width * classes))],
            axis=-1)
        best, index = ops.top_k(candidates, width)
        index = ops.cast(index, "int32")
        is_new = index >= width
        child = ops.maximum(index - width, 0)
        source = ops.where(is_new, child // classes, index)
        label = child % classes

        kept_prefix = ops.take_along_axis(prefix, ops.expand_dims(source, -1), axis=1)
        kept_size = ops.take_along_axis(size, source, axis=1)
        write = ops.expand_dims(is_new, -1) & (ops.reshape(positions, (1, 1, steps))
                                               == ops.expand_dims(kept_size, -1))
        new_state = (
            ops.where(write, ops.expand_dims(label, -1), kept_prefix),
            kept_size + ops.cast(is_new, "int32"),
            ops.where(is_new, label, ops.take_along_axis(last, source, axis=1)),
            ops.where(is_new, neg, ops.take_along_axis(stay_blank, source, axis=1)),
            ops.where(is_new, best, ops.take_along_axis(stay_label, source, axis=1)),
        )
        # Samples whose sequence has ended keep their beams.
        running = ops.expand_dims(t < lengths, 1)
        old_state = (prefix, size, last, p_blank, p_label)
        prefix, size, last, p_blank, p_label = (
            ops.where(ops.expand_dims(running, -1) if len(ops.shape(new)) == 3 else running,
                      new, old)
            for new, old in zip(new_state, old_state))

    scores, order = ops.top_k(_logaddexp(ops, p_blank, p_label), top_paths)
    paths = ops.take_along_axis(prefix, ops.expand_dims(ops.cast(order, "int32"), -1), axis=1)
    return ops.transpose(paths, (1, 0, 2)), scores
