"""``Lambda``: wraps a Python function as a layer (not loadable from files in safe mode)."""
import inspect

from kfront.layers.layer import Layer


class Lambda(Layer):
    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError(f"Lambda: `function` must be callable, received {function!r}.")
        self.function = function
        self.arguments = dict(arguments or {})
        self._output_shape = output_shape
        self._fn_takes_training = "training" in inspect.signature(function).parameters

    def call(self, inputs, training=None):
        kwargs = dict(self.arguments)
        if self._fn_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    @classmethod
    def from_config(cls, config):
        from kfront.saving.serialization import check_declared_arguments
        if callable(config.get("function")):
            check_declared_arguments(config["function"], config.get("arguments"), "Lambda")
        return cls(**config)

    def get_config(self):
        return {**super().get_config(), "function": getattr(self.function, "__name__", "lambda"),
                "arguments": self.arguments}
