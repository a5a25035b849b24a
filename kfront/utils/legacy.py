"""``keras.utils.legacy``: Keras 2's serialization helpers (see ``kfront.legacy.saving``)."""
from kfront.legacy.saving import deserialize_keras_object, serialize_keras_object

__all__ = ["serialize_keras_object", "deserialize_keras_object"]
