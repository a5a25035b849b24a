"""``PiecewiseConstantDecay``: a constant rate per interval of steps."""
from kfront import ops
from kfront.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step <= boundaries[0]``, ``values[i]`` while
    ``boundaries[i-1] < step <= boundaries[i]``, ``values[-1]`` after the last boundary.

    Args:
        boundaries: increasing step numbers.
        values: one more rate than boundaries.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), list(values)
        if len(boundaries) != len(values) - 1:
            raise ValueError("The length of boundaries should be 1 less than the length of "
                             f"values. Received: boundaries={boundaries} of length "
                             f"{len(boundaries)}, and values={values} of length "
                             f"{len(values)}.")
        if any(b >= a for a, b in zip(boundaries[1:], boundaries)):
            raise ValueError("PiecewiseConstantDecay: `boundaries` must be strictly "
                             f"increasing. Received: boundaries={boundaries}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = ops.cast(step, "float32")
        # Selected from the last interval down, so each step takes its own interval's value.
        result = ops.full((), float(self.values[-1]), dtype="float32")
        for boundary, value in reversed(list(zip(self.boundaries, self.values[:-1]))):
            result = ops.where(step <= float(boundary), float(value), result)
        return result

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
