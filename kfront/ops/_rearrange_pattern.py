"""Reads an einops ``rearrange`` pattern ("b (h h1) w -> b h (h1 w)") into a reshape, a
transpose and a reshape, for ``kfront.ops.rearrange``."""
import math
import re

_GROUP = re.compile(r"\(([^()]*)\)|([^\s()]+)")


def _groups(side, pattern):
    """The axis groups of one side: "b (h w)" -> [["b"], ["h", "w"]]."""
    if re.sub(r"\(([^()]*)\)|[^\s()]+|\s", "", side):
        raise ValueError(f"rearrange: unbalanced or nested parentheses in pattern {pattern!r}.")
    groups = []
    for inner, name in _GROUP.findall(side):
        groups.append(inner.split() if name == "" else [name])
    for group in groups:
        for name in group:
            if not name.isidentifier():
                raise ValueError(f"rearrange: axis name {name!r} in pattern {pattern!r} is not "
                                 "an identifier.")
    return groups


def _no_repeats(names, side, pattern):
    seen = set()
    for name in names:
        if name in seen:
            raise ValueError(f"rearrange: axis {name!r} appears twice on the {side} of "
                             f"pattern {pattern!r}.")
        seen.add(name)


def parse_rearrange(pattern, shape, axes_lengths):
    """(shape with input groups split, permutation, output shape) for ``pattern`` applied to
    a tensor of ``shape`` (None for a size unknown while tracing); ``axes_lengths`` gives
    sizes of split axes."""
    if pattern.count("->") != 1:
        raise ValueError(f"rearrange: `pattern` must have the form 'in -> out', received "
                         f"{pattern!r}.")
    left, right = pattern.split("->")
    inputs, outputs = _groups(left, pattern), _groups(right, pattern)
    if len(inputs) != len(shape):
        raise ValueError(f"rearrange: the left side of pattern {pattern!r} names "
                         f"{len(inputs)} axes, but the tensor has shape {tuple(shape)}.")
    in_names = [n for g in inputs for n in g]
    out_names = [n for g in outputs for n in g]
    _no_repeats(in_names, "left", pattern)
    _no_repeats(out_names, "right", pattern)
    if set(in_names) != set(out_names):
        raise ValueError(f"rearrange: both sides of pattern {pattern!r} must name the same "
                         f"axes; only on one side: {sorted(set(in_names) ^ set(out_names))}.")
    unknown = sorted(set(axes_lengths) - set(in_names))
    if unknown:
        raise ValueError(f"rearrange: axes_lengths names {unknown}, which pattern {pattern!r} "
                         "does not use.")
    sizes = {}
    for group, dim in zip(inputs, shape):
        known = [n for n in group if n in axes_lengths]
        free = [n for n in group if n not in axes_lengths]
        product = math.prod(int(axes_lengths[n]) for n in known)
        if len(free) > 1:
            raise ValueError(f"rearrange: give the length of all but one of the axes {free} "
                             f"in {pattern!r} as keyword arguments.")
        if free and dim is None:
            sizes[free[0]] = None  # unknown while tracing; reshape infers it
        elif free:
            if product == 0 or dim % product:
                given = {n: axes_lengths[n] for n in known}
                raise ValueError(f"rearrange: an axis of size {dim} cannot be split into "
                                 f"{group} with lengths {given}.")
            sizes[free[0]] = dim // product
        elif dim is not None and product != dim:
            raise ValueError(f"rearrange: the axes {group} multiply to {product}, but the axis "
                             f"has size {dim}.")
        sizes.update((n, int(axes_lengths[n])) for n in known)
    split_shape = _reshape_arg([[n] for n in in_names], sizes, pattern)
    perm = [in_names.index(n) for n in out_names]
    out_shape = _reshape_arg(outputs, sizes, pattern)
    return split_shape, perm, out_shape


def _reshape_arg(groups, sizes, pattern):
    """One size per group for ``reshape``; a group holding an axis of unknown size is -1."""
    shape = tuple(-1 if any(sizes[n] is None for n in g) else math.prod(sizes[n] for n in g)
                  for g in groups)
    if shape.count(-1) > 1:
        raise ValueError(f"rearrange: pattern {pattern!r} needs the sizes of more than one "
                         "axis unknown while tracing; give them as keyword arguments.")
    return shape
