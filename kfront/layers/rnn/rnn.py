"""``RNN``: runs a cell over the time axis (``kfront.ops.rnn``), with masks and state."""
import numpy as np

from kfront import ops
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer
from kfront.utils import tree


class _StateSlot:
    """Lets a stateful RNN's state variables ride with ``non_trainable_variables`` (so
    compiled steps carry them) without counting as weights, as in Keras."""

    def __init__(self, variable):
        self.state = variable


def forward_cell_properties(*names):
    """Class decorator: read-only properties that read the cell's attribute of that name."""
    def decorate(cls):
        for n in names:
            setattr(cls, n, property(lambda self, n=n: getattr(self.cell, n)))
        return cls
    return decorate


def _state_sizes(cell):
    size = getattr(cell, "state_size", None)
    if size is None:
        raise ValueError("RNN: the cell must have a `state_size` attribute (an int or a list "
                         f"of ints, one per state); received cell {cell!r}.")
    if isinstance(size, int):
        return [size], True
    if isinstance(size, (list, tuple)):
        return list(size), False
    raise ValueError(f"RNN: the cell's `state_size` must be an int or a list/tuple of ints; "
                     f"received {size!r}.")


class RNN(Layer):
    """Base RNN layer: ``RNN(cell)`` where ``cell.call(x_t, states) -> (out_t, new_states)``.

    ``cell`` may be a list of cells (stacked). Arguments as in Keras: ``return_sequences``,
    ``return_state``, ``go_backwards`` (outputs stay in processing order), ``stateful``
    (the last states of a batch start the next; ``reset_states()`` zeroes them), ``unroll``
    (accepted, ignored), ``zero_output_for_mask``. ``call(sequences, initial_state=None,
    mask=None, training=False)``: masked steps keep the previous state and output.
    """

    _cell_class = None
    _cell_args = ()

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            from kfront.layers.rnn.stacked_rnn_cells import StackedRNNCells
            cell = StackedRNNCells(cell)
        if "call" not in dir(cell) or not callable(cell):
            raise ValueError(f"RNN: `cell` should have a `call` method; received {cell!r}.")
        super().__init__(**kwargs)
        self.cell = cell
        self.state_size, self.single_state = _state_sizes(cell)
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        object.__setattr__(self, "states", None)
        self._state_slots = []
        self.input_spec = InputSpec(min_ndim=3)

    # ---- shapes ----
    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        if size is None:
            first = self.state_size[0]
            size = first[0] if isinstance(first, (list, tuple)) else first
        return size

    def _state_shapes(self, batch):
        return [[(batch, s) for s in size] if isinstance(size, (list, tuple)) else (batch, size)
                for size in self.state_size]

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        out = (batch, steps, self._output_size()) if self.return_sequences \
            else (batch, self._output_size())
        if self.return_state:
            return [out] + self._state_shapes(batch)
        return out

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=None):
        shapes = self.compute_output_shape(tuple(sequences.shape))
        if self.return_state:
            return _specs(shapes, self.dtype)
        return KerasTensor(shapes, dtype=self.dtype)

    def compute_mask(self, inputs, mask=None):
        if tree.is_nested(mask):
            mask = tree.flatten(mask)[0]
        out = mask if self.return_sequences else None
        if self.return_state:
            return [out] + [None] * len(tree.flatten(self.state_size))
        return out

    # ---- building and state ----
    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) < 3:
            raise ValueError(f'Layer "{self.name}" expects inputs of shape (batch, timesteps, '
                             f"features), received input shape {tuple(sequences_shape)}.")
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            self.cell.built = True
        if self.stateful:
            if sequences_shape[0] is None:
                raise ValueError(
                    f'Layer "{self.name}": a stateful RNN needs a static batch size. Pass '
                    "batch_size= to Input (or batch_input_shape=) so the states can be "
                    f"allocated; received input shape {tuple(sequences_shape)}.")
            self._create_states(sequences_shape[0])
        self.built = True

    def _create_states(self, batch):
        from kfront.backend.variable import Variable
        states = [Variable(ops.convert_to_numpy(s), dtype=self.dtype, trainable=False,
                           name="rnn_state", path=f"{self.name}/rnn_state")
                  for s in tree.flatten(self.get_initial_state(batch))]
        object.__setattr__(self, "states", states)
        self._state_slots = [_StateSlot(v) for v in states]

    def _seed_generators(self):
        return super()._seed_generators() + list(self._state_slots)

    def get_initial_state(self, batch_size):
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is not None:
            init = fn(batch_size=batch_size)
            return list(init) if tree.is_nested(init) else [init]
        return [ops.zeros((batch_size, d), dtype=self.compute_dtype) for d in self.state_size]

    def _zero_states_like(self, sequences):
        """Zero states for a batch size known only at run time (a traced graph)."""
        column = ops.cast(ops.reshape(sequences[:, 0], (-1, 1, int(np.prod(
            ops.shape(sequences)[2:]))))[:, 0, :1], self.compute_dtype) * 0
        return [column + ops.zeros((1, size), dtype=self.compute_dtype)
                for size in tree.flatten(self.state_size)]

    def reset_state(self):
        for v in self.states or []:
            v.assign(ops.zeros_like(v.value))

    def reset_states(self):
        self.reset_state()

    # ---- running ----
    def _config_dropout(self, cell, step_input, states, training):
        """Draws each cell's dropout masks once per sequence, before the loop."""
        from kfront.layers.rnn.dropout_rnn_cell import DropoutRNNCell
        from kfront.layers.rnn.stacked_rnn_cells import StackedRNNCells
        if isinstance(cell, DropoutRNNCell):
            cell.get_dropout_mask(step_input)
            cell.get_recurrent_dropout_mask(states[0] if tree.is_nested(states) else states)
        elif isinstance(cell, StackedRNNCells):
            for c, s in zip(cell.cells, states):
                s = list(s) if tree.is_nested(s) else [s]
                self._config_dropout(c, step_input, s, training)
                kwargs = {"training": training} if getattr(c, "_call_takes_training", False) \
                    else {}
                step_input, _ = c(step_input, s, **kwargs)

    def _reset_dropout(self, cell):
        from kfront.layers.rnn.dropout_rnn_cell import DropoutRNNCell
        from kfront.layers.rnn.stacked_rnn_cells import StackedRNNCells
        if isinstance(cell, DropoutRNNCell):
            cell.reset_dropout_mask()
            cell.reset_recurrent_dropout_mask()
        elif isinstance(cell, StackedRNNCells):
            for c in cell.cells:
                self._reset_dropout(c)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if "float" not in str(ops.dtype(sequences)):
            # One-hot bool or int sequences compute in floats, as Keras's promoting ops
            # make them; the engines' fused kernels refuse mixed dtypes.
            sequences = ops.cast(sequences, self.compute_dtype)
        batch = ops.shape(sequences)[0]
        if self.stateful and batch is not None and batch != self.states[0].shape[0]:
            raise ValueError(f'Layer "{self.name}": a stateful RNN must keep its batch size '
                             f"({self.states[0].shape[0]}); received a batch of {batch}.")
        if initial_state is None:
            if self.stateful:
                # A copy: the variables are assigned in place after the loop, and torch's
                # autograd must not see the values it saved change.
                initial_state = [ops.add(s.value, 0) for s in self.states]
            elif batch is None:
                initial_state = self._zero_states_like(sequences)
            else:
                initial_state = self.get_initial_state(batch)
        flat_init = tree.flatten(initial_state) if tree.is_nested(initial_state) \
            else [initial_state]
        expected = len(tree.flatten(self.state_size))
        if len(flat_init) != expected:
            raise ValueError(f'Layer "{self.name}" expects {expected} initial state tensor(s), '
                             f"received {len(flat_init)}.")
        # Int sizes hold one tensor, list sizes a list: the structure the cell expects.
        states = tree.pack_sequence_as(list(self.state_size),
                                       [ops.cast(x, self.compute_dtype) for x in flat_init])
        if training:
            self._config_dropout(self.cell, sequences[:, 0], states, training)
        kwargs = {"training": training} if getattr(self.cell, "_call_takes_training", False) \
            else {}

        def step(x, step_states):
            out, new = self.cell(x, list(step_states), **kwargs)
            return out, (new if tree.is_nested(new) else [new])

        if tree.is_nested(mask):
            mask = tree.flatten(mask)[0]
        if mask is not None:
            self._check_mask(mask, sequences)
        fused = self._fused_call(sequences, states, mask, training)
        if fused is not None:
            last, outputs, final = fused
        else:
            last, outputs, final = ops.rnn(
                step, sequences, states, go_backwards=self.go_backwards, mask=mask,
                unroll=self.unroll, zero_output_for_mask=self.zero_output_for_mask,
                return_all_outputs=self.return_sequences)
        if training:
            self._reset_dropout(self.cell)
        if self.stateful:
            for var, value in zip(self.states, tree.flatten(final)):
                var.assign(value)
        output = outputs if self.return_sequences else last
        if self.return_state:
            return [output] + list(final)
        return output

    def _check_mask(self, mask, sequences):
        shape, want = tuple(ops.shape(mask)), tuple(ops.shape(sequences)[:2])
        if len(shape) != 2 or any(a is not None and b is not None and a != b
                                  for a, b in zip(shape, want)):
            raise ValueError(f'Layer "{self.name}": the mask must have shape (batch, '
                             f"timesteps) = {want}, received a mask of shape {shape}.")

    def _fused_call(self, sequences, states, mask, training):
        """``(last, outputs, final states)`` from an engine's fused kernel, or None to run
        the cell step by step (LSTM and GRU override it)."""
        return None

    # ---- config ----
    def get_config(self):
        config = {**super().get_config(), "return_sequences": self.return_sequences,
                  "return_state": self.return_state, "go_backwards": self.go_backwards,
                  "stateful": self.stateful, "unroll": self.unroll,
                  "zero_output_for_mask": self.zero_output_for_mask}
        if self._cell_class is not None:
            cell_config = self.cell.get_config()
            config.update({k: cell_config[k] for k in self._cell_args if k in cell_config})
        else:
            config["cell"] = {"class_name": type(self.cell).__name__,
                              "config": self.cell.get_config()}
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if cls._cell_class is None and isinstance(config.get("cell"), dict):
            config["cell"] = _deserialize_cell(config["cell"])
        return cls(**config)


def _specs(shapes, dtype):
    def one(s):
        if isinstance(s, list):
            return [one(x) for x in s]
        return KerasTensor(s, dtype=dtype)
    return [one(s) for s in shapes]


def _deserialize_cell(config):
    from kfront import layers
    cls = getattr(layers, config["class_name"], None)
    if cls is None:
        raise ValueError(f"RNN.from_config: unknown cell class {config['class_name']!r}.")
    return cls.from_config(config["config"])
