"""Argument handling shared by the built-in cells (SimpleRNNCell, LSTMCell, GRUCell)."""
from kfront import activations, initializers, regularizers


def check_units(cls_name, units):
    if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
        raise ValueError(f"{cls_name}: `units` must be a positive int, received units={units!r}.")


def constraint(c):
    if c is None:
        return None
    from kfront import constraints
    return constraints.get(c)


def serialize_constraint(c):
    if c is None:
        return None
    from kfront import constraints
    return constraints.serialize(c)


WEIGHT_ARGS = ("kernel_initializer", "recurrent_initializer", "bias_initializer",
               "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
               "kernel_constraint", "recurrent_constraint", "bias_constraint")


def set_cell_args(cell, args):
    """Sets what every built-in cell shares (activations, ``use_bias``, the weight
    arguments, dropout) from the locals of its ``__init__``."""
    cell.activation = activations.get(args["activation"])
    if "recurrent_activation" in args:
        cell.recurrent_activation = activations.get(args["recurrent_activation"])
    cell.use_bias = args["use_bias"]
    set_weight_args(cell, *(args[k] for k in WEIGHT_ARGS))
    cell._init_dropout(args["dropout"], args["recurrent_dropout"], args["seed"])


def make_cell(layer_cls, args, name, *positional):
    """The cell of a built-in RNN layer, from the locals of the layer's ``__init__``: the
    arguments ``layer_cls._cell_args`` names, and the layer's dtype and trainability."""
    kwargs = args["kwargs"]
    return layer_cls._cell_class(*positional, **{k: args[k] for k in layer_cls._cell_args},
                                 dtype=kwargs.get("dtype"),
                                 trainable=kwargs.get("trainable", True), name=name)


def lstm_update(cell, zi, zf, zc, zo, c_tm1):
    """Keras's LSTM state update from the four gates' pre-activations: ``(h, c)``."""
    i = cell.recurrent_activation(zi)
    f = cell.recurrent_activation(zf)
    c = f * c_tm1 + i * cell.activation(zc)
    h = cell.recurrent_activation(zo) * cell.activation(c)
    return h, c


def set_weight_args(cell, kernel_initializer, recurrent_initializer, bias_initializer,
                    kernel_regularizer, recurrent_regularizer, bias_regularizer,
                    kernel_constraint, recurrent_constraint, bias_constraint):
    cell.kernel_initializer = initializers.get(kernel_initializer)
    cell.recurrent_initializer = initializers.get(recurrent_initializer)
    cell.bias_initializer = initializers.get(bias_initializer)
    cell.kernel_regularizer = regularizers.get(kernel_regularizer)
    cell.recurrent_regularizer = regularizers.get(recurrent_regularizer)
    cell.bias_regularizer = regularizers.get(bias_regularizer)
    cell.kernel_constraint = constraint(kernel_constraint)
    cell.recurrent_constraint = constraint(recurrent_constraint)
    cell.bias_constraint = constraint(bias_constraint)


def weight_config(cell):
    return {
        "kernel_initializer": initializers.serialize(cell.kernel_initializer),
        "recurrent_initializer": initializers.serialize(cell.recurrent_initializer),
        "bias_initializer": initializers.serialize(cell.bias_initializer),
        "kernel_regularizer": regularizers.serialize(cell.kernel_regularizer),
        "recurrent_regularizer": regularizers.serialize(cell.recurrent_regularizer),
        "bias_regularizer": regularizers.serialize(cell.bias_regularizer),
        "kernel_constraint": serialize_constraint(cell.kernel_constraint),
        "recurrent_constraint": serialize_constraint(cell.recurrent_constraint),
        "bias_constraint": serialize_constraint(cell.bias_constraint),
    }


def add_kernels(cell, input_dim, width):
    cell.kernel = cell.add_weight(shape=(input_dim, width), name="kernel",
                                  initializer=cell.kernel_initializer,
                                  regularizer=cell.kernel_regularizer,
                                  constraint=cell.kernel_constraint)
    cell.recurrent_kernel = cell.add_weight(shape=(cell.units, width), name="recurrent_kernel",
                                            initializer=cell.recurrent_initializer,
                                            regularizer=cell.recurrent_regularizer,
                                            constraint=cell.recurrent_constraint)


def activation_config(cell, *names):
    return {n: activations.serialize(getattr(cell, n)) for n in names}


def input_dim_of(cls_name, input_shape):
    if input_shape is None or len(input_shape) < 2 or input_shape[-1] is None:
        raise ValueError(f"{cls_name}: the step input needs a known last dimension, received "
                         f"input shape {input_shape}.")
    return input_shape[-1]
