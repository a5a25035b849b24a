"""Argument checks and weight settings the normalization layers share."""
from kfront import constraints, initializers, regularizers


def check_axes(layer_name, axes, rank):
    """``axes`` (ints, possibly negative) as non-negative ints, or a ValueError."""
    out = []
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"{layer_name}: axis {a} is out of bounds for an input of rank "
                             f"{rank}. Received: axis={list(axes) if len(axes) > 1 else a}")
        out.append(a % rank)
    return out


class AffineParams:
    """The gamma/beta settings (initializer, regularizer, constraint) of a layer."""

    def __init__(self, beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
                 beta_constraint, gamma_constraint):
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def config(self):
        return {
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }

    def add(self, layer, shape, center, scale):
        """Creates ``layer.gamma`` then ``layer.beta`` (None where disabled)."""
        layer.gamma = layer.add_weight(
            shape=shape, name="gamma", initializer=self.gamma_initializer,
            regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
        ) if scale else None
        layer.beta = layer.add_weight(
            shape=shape, name="beta", initializer=self.beta_initializer,
            regularizer=self.beta_regularizer, constraint=self.beta_constraint,
        ) if center else None
