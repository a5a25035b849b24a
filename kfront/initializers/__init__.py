"""``kfront.initializers``: Keras 3's initializers by class and by name."""
from kfront.initializers.initializers import (  # noqa: F401
    Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Identity, Initializer,
    LecunNormal, LecunUniform, Ones, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal,
    VarianceScaling, Zeros,
)
from kfront.utils.lookup import resolve

_ALL = {c.__name__: c for c in (
    Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Identity, LecunNormal,
    LecunUniform, Ones, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal,
    VarianceScaling, Zeros)}
_ALL.update({"glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
             "he_uniform": HeUniform, "he_normal": HeNormal, "lecun_uniform": LecunUniform,
             "lecun_normal": LecunNormal, "random_normal": RandomNormal,
             "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
             "variance_scaling": VarianceScaling, "orthogonal": Orthogonal,
             "identity": Identity, "zeros": Zeros, "ones": Ones, "constant": Constant,
             # Keras 3's longer class names.
             "OrthogonalInitializer": Orthogonal, "IdentityInitializer": Identity})


def get(identifier):
    """An initializer from a name ("glorot_uniform"), a config dict, a class or a callable."""
    if identifier is None:
        return None
    obj = resolve(identifier, _ALL, "initializer")
    return obj() if isinstance(obj, type) else obj


def serialize(initializer):
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def deserialize(config):
    return get(config)
