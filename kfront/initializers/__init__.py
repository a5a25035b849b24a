"""``kfront.initializers``: Keras 3's initializers by class and by name."""
from kfront.initializers.initializers import (  # noqa: F401
    Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Identity, Initializer,
    LecunNormal, LecunUniform, Ones, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal,
    VarianceScaling, Zeros,
)
from kfront.initializers.stft import STFT
from kfront.utils.lookup import resolve

# Keras 3's longer class names and its lowercase aliases: the same classes.
IdentityInitializer, OrthogonalInitializer, STFTInitializer = Identity, Orthogonal, STFT
constant, zeros, ones, identity = Constant, Zeros, Ones, Identity
orthogonal, stft = Orthogonal, STFT
glorot_normal, glorot_uniform, he_normal, he_uniform = GlorotNormal, GlorotUniform, HeNormal, \
    HeUniform
lecun_normal, lecun_uniform = LecunNormal, LecunUniform
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling = VarianceScaling

_ALL = {c.__name__: c for c in (
    Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Identity, LecunNormal,
    LecunUniform, Ones, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal,
    VarianceScaling, Zeros, STFT)}
_ALL.update({"glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
             "he_uniform": HeUniform, "he_normal": HeNormal, "lecun_uniform": LecunUniform,
             "lecun_normal": LecunNormal, "random_normal": RandomNormal,
             "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
             "variance_scaling": VarianceScaling, "orthogonal": Orthogonal,
             "identity": Identity, "zeros": Zeros, "ones": Ones, "constant": Constant,
             # Keras 3's longer class names.
             "OrthogonalInitializer": Orthogonal, "IdentityInitializer": Identity,
             "STFTInitializer": STFT, "stft": STFT,
             # Keras 2 names Keras 3 still reads.
             "uniform": RandomUniform, "normal": RandomNormal, "zero": Zeros, "one": Ones})


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
