"""``DropoutRNNCell``: one dropout mask per sequence for a cell's inputs and recurrent state."""
from kfront import ops, random
from kfront.random.seed_generator import SeedGenerator


class DropoutRNNCell:
    """Mixin for cells with ``dropout``, ``recurrent_dropout`` and ``seed_generator``.

    The masks are drawn once (by the RNN layer, before its loop) and reused at every step
    of that sequence, as in Keras; ``reset_*`` forgets them after the sequence.
    """

    def _init_dropout(self, dropout, recurrent_dropout, seed):
        for arg, value in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0 <= value <= 1:
                raise ValueError(f"{type(self).__name__}: `{arg}` must be in [0, 1], received "
                                 f"{arg}={value!r}.")
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self.seed_generator = SeedGenerator(seed) if (self.dropout or self.recurrent_dropout) \
            else None
        self._dropout_mask = None
        self._recurrent_dropout_mask = None

    # Cells that drop each gate's input separately (ConvLSTM) draw this many masks.
    dropout_mask_count = None

    def _draw(self, like, rate):
        ones = ops.ones_like(like)
        if self.dropout_mask_count is None:
            return random.dropout(ones, rate, seed=self.seed_generator)
        return [random.dropout(ones, rate, seed=self.seed_generator)
                for _ in range(self.dropout_mask_count)]

    def get_dropout_mask(self, step_input):
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = self._draw(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, state):
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._draw(state, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None
