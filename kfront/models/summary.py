"""``model.summary()``: the Keras 3 table of layers, output shapes and parameter counts."""
import math

_WIDTHS = (33, 24, 15)


def _count(variables):
    return int(sum(math.prod(v.shape) for v in variables))


def _size(variables):
    total_bytes = 0
    for v in variables:
        itemsize = 1 if v.dtype in ("int8", "uint8", "bool") else \
            2 if "16" in v.dtype else 8 if "64" in v.dtype else 4
        total_bytes += math.prod(v.shape) * itemsize
    for unit in ("B", "KB", "MB", "GB"):
        if total_bytes < 1024 or unit == "GB":
            return f"{total_bytes:.2f} {unit}"
        total_bytes /= 1024.0


def _output_shape(layer):
    nodes = getattr(layer, "_inbound_nodes", [])
    if not nodes or not nodes[-1].outputs:
        return "?"
    shapes = [t.shape for t in nodes[-1].outputs]
    return str(shapes[0]) if len(shapes) == 1 else str(shapes)


def _row(cells, widths, left="│", sep="│", right="│"):
    out = []
    for i, (text, width) in enumerate(zip(cells, widths)):
        text = str(text)
        if len(text) > width - 2:
            text = text[: width - 3] + "…"
        out.append(" " + (text.rjust(width - 2) if i == len(widths) - 1 else
                          text.ljust(width - 2)) + " ")
    return left + sep.join(out) + right


def print_summary(model, line_length=None, print_fn=None, show_trainable=False):
    print_fn = print_fn or print
    widths = _WIDTHS
    if line_length:
        scale = line_length / (sum(widths) + 4)
        widths = tuple(max(10, int(w * scale)) for w in widths)
    lines = [f'Model: "{model.name}"']
    lines.append("┏" + "┳".join("━" * w for w in widths) + "┓")
    lines.append(_row(("Layer (type)", "Output Shape", "Param #"), widths, "┃", "┃", "┃"))
    lines.append("┡" + "╇".join("━" * w for w in widths) + "┩")
    layers = model.layers
    for i, layer in enumerate(layers):
        params = f"{_count(layer.weights):,}" if layer.built else "0 (unbuilt)"
        lines.append(_row((f"{layer.name} ({type(layer).__name__})", _output_shape(layer),
                           params), widths))
        if i < len(layers) - 1:
            lines.append("├" + "┼".join("─" * w for w in widths) + "┤")
    lines.append("└" + "┴".join("─" * w for w in widths) + "┘")
    trainable = model.trainable_weights
    frozen = model.non_trainable_weights
    n_train, n_frozen = _count(trainable), _count(frozen)
    lines.append(f" Total params: {n_train + n_frozen:,} ({_size(trainable + frozen)})")
    lines.append(f" Trainable params: {n_train:,} ({_size(trainable)})")
    lines.append(f" Non-trainable params: {n_frozen:,} ({_size(frozen)})")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "built", False):
        slots = optimizer.variables
        lines.append(f" Optimizer params: {_count(slots):,} ({_size(slots)})")
    print_fn("\n".join(lines))
