"""``pad_sequences``: lists of variable-length sequences to one rectangular NumPy array."""
import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pads (or truncates) each sequence to the same length.

    Args:
        sequences: a list of sequences (lists or arrays; items may themselves be arrays of
            one common shape).
        maxlen: the output length; defaults to the longest sequence.
        dtype: the output dtype. Use ``object`` (or a NumPy string dtype) for strings.
        padding: ``"pre"`` or ``"post"``: which side of a short sequence gets ``value``.
        truncating: ``"pre"`` or ``"post"``: which end of a long sequence is dropped.
        value: the padding value.

    Returns:
        A NumPy array of shape ``(len(sequences), maxlen) + item_shape``.

    >>> pad_sequences([[1, 2], [3]], padding="post")
    array([[1, 2],
           [3, 0]], dtype=int32)
    """
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood. Use "pre" or "post".')
    if truncating not in ("pre", "post"):
        raise ValueError(f'Truncating type "{truncating}" not understood. Use "pre" or "post".')
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable (a list of sequences).")
    lengths, item_shape, found = [], (), False
    for seq in sequences:
        try:
            lengths.append(len(seq))
        except TypeError:
            raise ValueError("`sequences` must be a list of iterables. "
                             f"Found non-iterable: {seq!r}") from None
        if not found and len(seq):
            # The first non-empty sequence fixes the shape of one item.
            item_shape = np.asarray(seq).shape[1:]
            found = True
    if maxlen is None:
        maxlen = int(max(lengths)) if lengths else 0
    elif not isinstance(maxlen, (int, np.integer)) or maxlen < 0:
        raise ValueError(f"`maxlen` must be a non-negative int or None, received {maxlen!r}.")
    is_text = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_text:
        raise ValueError(f"`dtype` {dtype} is not compatible with `value`'s type: "
                         f"{type(value)}. Set `dtype=object` for variable length strings.")
    out = np.full((len(lengths), maxlen) + tuple(item_shape), value, dtype=dtype)
    if maxlen == 0:
        return out
    for i, seq in enumerate(sequences):
        if not len(seq):
            continue
        kept = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != tuple(item_shape):
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position {i} "
                             f"is different from expected shape {tuple(item_shape)}.")
        if padding == "post":
            out[i, :len(kept)] = kept
        else:
            out[i, maxlen - len(kept):] = kept
    return out
