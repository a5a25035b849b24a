"""``Bidirectional``: runs an RNN forwards and a copy backwards, and merges the outputs."""
from kfront import ops
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.layer import Layer
from kfront.utils import tree

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _copy(layer, name, go_backwards):
    """A fresh layer with ``layer``'s configuration (a deep copy when it has no config)."""
    config = {**layer.get_config(), "name": name}
    if go_backwards is not None:
        config["go_backwards"] = go_backwards
    try:
        return type(layer).from_config(config)
    except (ValueError, TypeError, KeyError):
        # A custom cell that kfront.layers cannot rebuild by name.
        import copy
        clone = copy.deepcopy(layer)
        clone.name = name
        if go_backwards is not None:
            clone.go_backwards = go_backwards
        return clone


def _strip(name):
    for prefix in ("forward_", "backward_"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


class Bidirectional(Layer):
    """``Bidirectional(LSTM(8, return_sequences=True), merge_mode="concat")``.

    The backward outputs are flipped back to forward time order before merging, as in Keras.
    ``merge_mode=None`` returns ``[forward, backward]``.
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None,
                 **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Bidirectional: `layer` must be a Layer instance (an RNN); "
                             f"received {layer!r}.")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f"Bidirectional: invalid merge_mode {merge_mode!r}; expected one "
                             f"of {list(_MERGE_MODES)}.")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError("Bidirectional: `backward_layer` must be a Layer instance; "
                             f"received {backward_layer!r}.")
        super().__init__(**kwargs)
        base = _strip(layer.name)
        self.forward_layer = _copy(layer, "forward_" + base, None)
        if backward_layer is None:
            self.backward_layer = _copy(layer, "backward_" + base, not layer.go_backwards)
        else:
            self.backward_layer = backward_layer
            for attr in ("return_sequences", "return_state"):
                if getattr(backward_layer, attr) != getattr(layer, attr):
                    raise ValueError(
                        f"Bidirectional: forward layer and backward layer must have the same "
                        f"`{attr}`; forward has {getattr(layer, attr)}, backward has "
                        f"{getattr(backward_layer, attr)}.")
            if backward_layer.go_backwards == layer.go_backwards:
                raise ValueError("Bidirectional: `backward_layer.go_backwards` must be the "
                                 "opposite of `layer.go_backwards`.")
        # Masked steps give zeros in returned sequences, so the flipped backward sequence
        # lines up with the forward one (as in Keras).
        for rnn in (self.forward_layer, self.backward_layer):
            if getattr(rnn, "zero_output_for_mask", None) is not None:
                rnn.zero_output_for_mask = rnn.return_sequences
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = getattr(layer, "stateful", False)
        self.supports_masking = True
        self.input_spec = layer.input_spec
        if weights is not None:
            self._initial_weights = weights

    def build(self, sequences_shape, initial_state_shape=None):
        for layer in (self.forward_layer, self.backward_layer):
            if not layer.built:
                layer.build(tuple(sequences_shape))
                layer.built = True
        self.built = True

    def _merge(self, y, y_rev):
        if self.merge_mode == "concat":
            return ops.concatenate([y, y_rev], axis=-1)
        if self.merge_mode == "sum":
            return y + y_rev
        if self.merge_mode == "ave":
            return (y + y_rev) / 2
        if self.merge_mode == "mul":
            return y * y_rev
        return [y, y_rev]

    def call(self, sequences, initial_state=None, mask=None, training=None):
        fw_kwargs, bw_kwargs = {}, {}
        if initial_state is not None:
            flat = tree.flatten(initial_state)
            if len(flat) % 2:
                raise ValueError(f'Layer "{self.name}": `initial_state` needs as many states '
                                 f"for the backward layer as for the forward one; received "
                                 f"{len(flat)} tensors.")
            half = len(flat) // 2
            fw_kwargs["initial_state"], bw_kwargs["initial_state"] = flat[:half], flat[half:]
        common = {"mask": mask, "training": training}
        y = self.forward_layer(sequences, **fw_kwargs, **common)
        y_rev = self.backward_layer(sequences, **bw_kwargs, **common)
        if self.return_state:
            y, states = y[0], list(y[1:])
            y_rev, states_rev = y_rev[0], list(y_rev[1:])
        if self.return_sequences:
            y_rev = ops.flip(y_rev, axis=1)
        out = self._merge(y, y_rev)
        if self.return_state:
            out = list(out) if self.merge_mode is None else [out]
            return out + states + states_rev
        return out

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=None):
        shape = self.forward_layer.compute_output_shape(tuple(sequences.shape))
        if self.return_state:
            shape, state_shapes = shape[0], list(shape[1:])
        if self.merge_mode == "concat":
            out = [KerasTensor(tuple(shape[:-1]) + (shape[-1] * 2,), dtype=self.dtype)]
        elif self.merge_mode is None:
            out = [KerasTensor(shape, dtype=self.dtype), KerasTensor(shape, dtype=self.dtype)]
        else:
            out = [KerasTensor(shape, dtype=self.dtype)]
        if self.return_state:
            states = _state_specs(state_shapes, self.dtype)
            return out + states + _state_specs(state_shapes, self.dtype)
        return out if self.merge_mode is None else out[0]

    def compute_mask(self, inputs, mask=None):
        if tree.is_nested(mask):
            mask = tree.flatten(mask)[0]
        out = mask if self.return_sequences else None
        outs = [out, out] if self.merge_mode is None else [out]
        if self.return_state:
            n = 2 * len(tree.flatten(self.forward_layer.state_size))
            return outs + [None] * n
        return outs if self.merge_mode is None else out

    def reset_states(self):
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    reset_state = reset_states

    @property
    def states(self):
        if self.forward_layer.states is None:
            return None
        return tuple(self.forward_layer.states) + tuple(self.backward_layer.states)

    def get_config(self):
        config = {**super().get_config(), "merge_mode": self.merge_mode,
                  "layer": {"class_name": type(self.forward_layer).__name__,
                            "config": self.forward_layer.get_config()}}
        config["backward_layer"] = {"class_name": type(self.backward_layer).__name__,
                                    "config": self.backward_layer.get_config()}
        return config

    @classmethod
    def from_config(cls, config):
        from kfront import layers
        config = dict(config)
        for key in ("layer", "backward_layer"):
            entry = config.get(key)
            if isinstance(entry, dict):
                config[key] = getattr(layers, entry["class_name"]).from_config(entry["config"])
        return cls(**config)


def _state_specs(shapes, dtype):
    out = []
    for s in shapes:
        if isinstance(s, list):
            out.extend(KerasTensor(x, dtype=dtype) for x in s)
        else:
            out.append(KerasTensor(s, dtype=dtype))
    return out
