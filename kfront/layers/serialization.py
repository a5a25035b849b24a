"""``kfront.layers.serialize`` / ``deserialize``: a layer to and from its Keras 3 config."""


def serialize(layer):
    """The config of ``layer`` as a JSON-ready dict (``{"module", "class_name", "config",
    "registered_name"}``), as ``keras.layers.serialize`` writes it.

    >>> kfront.layers.serialize(kfront.layers.Dense(3))["class_name"]
    'Dense'
    """
    from kfront.layers.layer import Layer
    from kfront.saving.serialization import serialize_object
    if not isinstance(layer, Layer):
        raise ValueError("`kfront.layers.serialize` expects a kfront.layers.Layer instance. "
                         f"Received: {layer!r}")
    return serialize_object(layer, "layer")


def deserialize(config, custom_objects=None):
    """The layer described by ``config`` (from ``serialize``, Keras 3 or Keras 2);
    ``custom_objects`` maps names to custom classes and functions.

    >>> kfront.layers.deserialize({"class_name": "Dense", "config": {"units": 3}})
    """
    from kfront.layers.layer import Layer
    from kfront.saving.serialization import deserialize_object
    obj = deserialize_object(config, "layer", custom_objects)
    if not isinstance(obj, Layer):
        raise ValueError("`kfront.layers.deserialize` was passed a `config` object that is "
                         f"not a `kfront.layers.Layer`. Received: {config!r}")
    return obj
