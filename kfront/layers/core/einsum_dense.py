"""``EinsumDense``: ``activation(einsum(equation, inputs, kernel) + bias)``.

The equation names the input, kernel and output axes (``"abc,cde->abde"``); an ellipsis may
stand for leading (``"...b,bc->...c"``) or trailing (``"ab...,bc->ac..."``) input axes. The
kernel's shape follows from the input shape and ``output_shape`` (the output without its
first axis and the ellipsis axes).
"""
import re

import numpy as np

from kfront import activations, constraints, initializers, ops, regularizers
from kfront.backend.keras_tensor import KerasTensor
from kfront.initializers import VarianceScaling
from kfront.layers.core.projection import project
from kfront.layers.core.quantized import QuantizableMixin
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer

_FORMS = (
    # (pattern with "0" for the ellipsis, where the ellipsis stands)
    (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", None),
    (r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", "left"),
    (r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", "right"),
)


def analyze_equation(equation, bias_axes, input_shape, output_shape, layer="EinsumDense"):
    """(kernel shape, bias shape or None, full output shape, kernel input axes, kernel output
    axes) for ``equation`` applied to ``input_shape``."""
    flat = equation.replace("...", "0")
    for pattern, elided_side in _FORMS:
        match = re.fullmatch(pattern, flat)
        if match:
            break
    else:
        raise ValueError(
            f"{layer}: invalid einsum equation {equation!r}. Equations must be in the form "
            "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")
    in_spec, w_spec, out_spec = match.groups()
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(in_spec)
    if elided < 0 or (elided > 0 and elided_side is None):
        raise ValueError(
            f"{layer}: the equation {equation!r} expects inputs of rank {len(in_spec)}"
            f"{' or more' if elided_side else ''}, received input shape {input_shape}.")
    out = [int(output_shape)] if isinstance(output_shape, int) else list(output_shape)
    out.insert(0, input_shape[0])
    if elided > 0 and elided_side == "left":
        out[1:1] = input_shape[1:elided]
    elif elided > 0:
        out.extend(input_shape[len(input_shape) - elided:])
    offset = elided if elided_side == "left" else 0
    in_pos = {c: i + offset for i, c in enumerate(in_spec)}
    out_pos = {c: i + offset for i, c in enumerate(out_spec)}
    if len(out) != len(out_spec) + max(elided, 0):
        raise ValueError(
            f"{layer}: output_shape={output_shape!r} does not fit the equation {equation!r}: "
            f"the output has {len(out_spec)} named axes and output_shape gives all but the "
            "first (all of them when a leading ellipsis takes the batch axis).")

    for c in in_spec:
        if c in out_pos and out[out_pos[c]] is not None and out[out_pos[c]] != input_shape[in_pos[c]]:
            raise ValueError(
                f"{layer}: input shape and output shape do not match at shared dimension "
                f"{c!r}: the input has {input_shape[in_pos[c]]}, output_shape asks for "
                f"{out[out_pos[c]]}.")
    for c in in_spec:
        if c in out_pos and out[out_pos[c]] is None:
            # Axes the output shares with the input take the input's size.
            out[out_pos[c]] = input_shape[in_pos[c]]
    for c in out_spec:
        if c not in in_spec and c not in w_spec:
            raise ValueError(
                f"{layer}: dimension {c!r} of the output {out_spec!r} appears in neither the "
                f"input {in_spec!r} nor the kernel {w_spec!r}.")

    kernel_shape, input_axes, output_axes = [], [], []
    for i, c in enumerate(w_spec):
        if c in out_pos:
            kernel_shape.append(out[out_pos[c]])
            output_axes.append(i)
        elif c in in_pos:
            kernel_shape.append(input_shape[in_pos[c]])
            input_axes.append(i)
        else:
            raise ValueError(
                f"{layer}: kernel dimension {c!r} appears in neither the input {in_spec!r} "
                f"nor the output {out_spec!r}; the kernel must be fully specified.")
    if any(d is None for d in kernel_shape):
        raise ValueError(
            f"{layer}: the kernel shape {tuple(kernel_shape)} of equation {equation!r} is not "
            f"fully known from input shape {input_shape} and output_shape {output_shape}.")

    bias_shape = None
    if bias_axes is not None:
        for c in bias_axes:
            if c not in out_spec:
                raise ValueError(f"{layer}: bias dimension {c!r} is not part of the output "
                                 f"{out_spec!r}.")
        first = min(out_spec.index(c) for c in bias_axes)
        bias_shape = [out[out_pos[c]] if c in bias_axes else 1 for c in out_spec[first:]]
        if elided_side == "right":
            bias_shape.extend([1] * elided)
    return kernel_shape, bias_shape, out, input_axes, output_axes


def get_initializer(identifier):
    """``initializers.get``, also for Keras 3.15 configs of variance-scaling initializers,
    which carry the ``input_axes``/``output_axes`` that this layer derives itself."""
    if isinstance(identifier, dict) and isinstance(identifier.get("config"), dict):
        config = {k: v for k, v in identifier["config"].items()
                  if k not in ("input_axes", "output_axes")}
        identifier = {**identifier, "config": config}
    return initializers.get(identifier)


class _FansFromAxes:
    """A variance-scaling initializer whose fans are the kernel's input and output axes,
    as Keras 3 computes them for einsum kernels."""

    def __init__(self, initializer, fan_in, fan_out):
        self.initializer, self.fan_in, self.fan_out = initializer, fan_in, fan_out

    def __call__(self, shape, dtype=None):
        return self.initializer((self.fan_in, self.fan_out), dtype).reshape(shape)


class EinsumDense(QuantizableMixin, Layer):
    """``activation(einsum(equation, inputs, kernel) + bias)``; ``lora_rank`` enables LoRA
    once built (``enable_lora``) and ``quantize("int8")`` makes the kernel int8 (see
    ``kfront.layers.core.lora``/``quantized``)."""

    _squeeze_scale = False

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, quantization_config=None,
                 **kwargs):
        super().__init__(**kwargs)
        self._init_lora(lora_rank, lora_alpha)
        self._init_quantization(quantization_config)
        self.equation = equation
        self.partial_output_shape = ((output_shape,) if isinstance(output_shape, int)
                                     else tuple(output_shape))
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = get_initializer(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.kernel = None
        self.bias = None

    def _analyze(self, input_shape):
        return analyze_equation(self.equation, self.bias_axes, input_shape,
                                self.partial_output_shape, f'EinsumDense "{self.name}"')

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = self._analyze(input_shape)
        self._kernel_input_axes = tuple(input_axes)
        self._input_ndim = len(input_shape)
        init = self.kernel_initializer
        if isinstance(init, VarianceScaling):
            fan_in = fan_out = 1
            for axis in input_axes:
                fan_in *= kernel_shape[axis]
            for axis in output_axes:
                fan_out *= kernel_shape[axis]
            init = _FansFromAxes(init, fan_in, fan_out)
        self._build_weight(tuple(kernel_shape), lambda: self.add_weight(
            name="kernel", shape=tuple(kernel_shape), initializer=init,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint))
        if bias_shape is not None:
            self.bias = self.add_weight(name="bias", shape=tuple(bias_shape),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.input_spec = InputSpec(ndim=len(input_shape))
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, self.lora_alpha)

    def _reduced_axes(self):
        return self._kernel_input_axes

    @classmethod
    def _quantizable_classes(cls):
        return (EinsumDense,)

    def _scale_layout(self, kernel_shape):
        """(the kernel's output axes in output order, the stored scale shape): Keras 3
        stores the int8 kernel scale aligned to the output (1 where the kernel has no
        axis), so files move between the two."""
        in_spec, w_spec, out_spec = re.split(",|->", self.equation.replace("...", ""))
        perm = [i for _, i in sorted((out_spec.index(c), i) for i, c in enumerate(w_spec)
                                     if c in out_spec)]
        stored = [kernel_shape[w_spec.index(c)] if c in w_spec else 1 for c in out_spec]
        elided = [1] * max(self._input_ndim - len(in_spec), 0)
        stored = elided + stored if self.equation.startswith("...") else stored + elided
        return perm, tuple(stored)

    def _stored_scale_shape(self, shape):
        return self._scale_layout(shape)[1]

    def _scale_for_storage(self, kept, shape):
        perm, stored = self._scale_layout(shape)
        reduced = tuple(self._reduced_axes())
        squeezed = np.squeeze(kept, axis=reduced) if reduced else kept
        rank = {axis: j for j, axis in enumerate(sorted(perm))}  # kernel axis -> squeezed
        return np.reshape(np.transpose(squeezed, [rank[a] for a in perm]), stored)

    def _kept_scale(self):
        shape = self._weight_shape
        perm, _ = self._scale_layout(shape)
        scale = ops.reshape(self.kernel_scale.value, [shape[a] for a in perm])
        rank = {axis: j for j, axis in enumerate(perm)}
        scale = ops.transpose(scale, [rank[a] for a in sorted(perm)])
        return ops.reshape(scale, self._kept_scale_shape(shape))

    def _input_reduced_axes(self):
        """The input axes the equation contracts with the kernel."""
        in_spec, w_spec, out_spec = re.split(",|->", self.equation.replace("...", ""))
        offset = self._input_ndim - len(in_spec) if self.equation.startswith("...") else 0
        return tuple(i + offset for i, c in enumerate(in_spec)
                     if c in w_spec and c not in out_spec)

    def call(self, inputs, training=None):
        bias = None if self.bias is None else self.bias.value
        if self.quantization_mode == "float8":
            x = self._quantized_project(inputs, self.equation, None, None, training)
        elif self.quantization_mode is not None:
            in_spec, rest = self.equation.split(",")
            w_spec, out_spec = rest.split("->")
            x = self._quantized_project(inputs, self.equation,
                                        f"{out_spec},{w_spec}->{in_spec}",
                                        self._input_reduced_axes())
            if bias is not None:
                x = ops.add(x, bias)
        else:
            x = project(self.equation, inputs, self._with_lora(self.kernel.value), bias,
                        lambda a, k: ops.einsum(self.equation, a, k))
        return self.activation(x) if self.activation is not None else x

    def compute_output_shape(self, input_shape):
        return tuple(self._analyze(input_shape)[2])

    def compute_output_spec(self, inputs, training=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.dtype)

    def get_config(self):
        return {**super().get_config(), "output_shape": self.partial_output_shape,
                "equation": self.equation,
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                **self._quantization_config_entry(), **self._lora_config()}

