"""``StackedRNNCells``: several cells run as one, each feeding the next within a step."""
from kfront.layers.layer import Layer
from kfront.utils import tree


class StackedRNNCells(Layer):
    """Wraps a list of cells; ``RNN(StackedRNNCells(cells))`` is a deep RNN in one loop."""

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell) or getattr(cell, "state_size", None) is None:
                raise ValueError("StackedRNNCells: every cell needs a `call` method and a "
                                 f"`state_size` attribute; received {cell!r}.")
        self.cells = list(cells)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        size = getattr(last, "output_size", None)
        if size is None:
            size = last.state_size[0] if isinstance(last.state_size, (list, tuple)) \
                else last.state_size
        return size

    def get_initial_state(self, batch_size=None):
        from kfront import ops
        states = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn is not None:
                init = fn(batch_size=batch_size)
            else:
                sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) \
                    else [cell.state_size]
                init = [ops.zeros((batch_size, s), dtype=self.compute_dtype) for s in sizes]
            if not isinstance(cell.state_size, (list, tuple)):
                init = init[0] if tree.is_nested(init) else init
            states.append(init)
        return states

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(shape)
                cell.built = True
            size = getattr(cell, "output_size", None)
            if size is None:
                size = cell.state_size[0] if isinstance(cell.state_size, (list, tuple)) \
                    else cell.state_size
            shape = shape[:-1] + (size,)
        self.built = True

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            was_list = tree.is_nested(cell_states)
            cell_states = list(cell_states) if was_list else [cell_states]
            kwargs = {"training": training} if getattr(cell, "_call_takes_training", False) \
                else {}
            inputs, out_states = cell(inputs, cell_states, **kwargs)
            out_states = list(out_states) if tree.is_nested(out_states) else [out_states]
            new_states.append(out_states if was_list or len(out_states) > 1 else out_states[0])
        return inputs, new_states

    def get_config(self):
        return {**super().get_config(),
                "cells": [{"class_name": type(c).__name__, "config": c.get_config()}
                          for c in self.cells]}

    @classmethod
    def from_config(cls, config):
        from kfront.layers.rnn.rnn import _deserialize_cell
        config = dict(config)
        cells = [_deserialize_cell(c) for c in config.pop("cells")]
        return cls(cells, **config)
