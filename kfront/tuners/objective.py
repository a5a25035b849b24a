"""``Objective``: the logged metric a search optimizes, and in which direction."""


class Objective:
    """``Objective("val_accuracy", direction="max")``."""

    def __init__(self, name, direction):
        if not isinstance(name, str) or not name:
            raise ValueError(f"Objective: `name` must be a metric name, received {name!r}.")
        if direction not in ("min", "max"):
            raise ValueError(f"Objective: `direction` must be 'min' or 'max', received "
                             f"{direction!r}.")
        self.name = name
        self.direction = direction

    def better(self, a, b):
        return a < b if self.direction == "min" else a > b

    def best_of(self, values):
        return min(values) if self.direction == "min" else max(values)

    def __repr__(self):
        return f"Objective(name={self.name!r}, direction={self.direction!r})"


def standardize(objective):
    """An ``Objective`` from a name (direction inferred as KerasTuner does: losses and
    errors go down, anything else up) or an Objective."""
    if objective is None:
        return Objective("val_loss", "min")
    if isinstance(objective, Objective):
        return objective
    if isinstance(objective, str):
        lowered = objective.lower()
        down = any(w in lowered for w in ("loss", "error", "mse", "mae", "mape", "msle",
                                          "crossentropy", "hinge", "divergence"))
        return Objective(objective, "min" if down else "max")
    if isinstance(objective, (list, tuple)):
        raise ValueError("Several objectives are not supported: pass one name or Objective.")
    raise ValueError(f"`objective` must be a metric name or an Objective, received "
                     f"{objective!r}.")
