"""The public API surface: every public name of the installed keras (3.15) exists in the
kfront namespace of the same name, except the allowlist below (a reason per entry).

The test fails when Keras adds a name kfront lacks, and when an allowlist entry goes stale
(kfront gained the name, or Keras dropped it), so the allowlist only shrinks.
"""
import importlib

import pytest

# keras.datasets' loaders, one namespace each (a test checks the list is complete).
DATASETS = ["boston_housing", "california_housing", "cifar10", "cifar100", "fashion_mnist",
            "imdb", "mnist", "reuters"]
NAMESPACES = [
    "", "activations", "applications", "backend", "callbacks", "config", "constraints",
    "distribution", "dtype_policies", "export", "initializers", "layers", "legacy.saving",
    "losses", "metrics", "mixed_precision", "models", "ops", "ops.image", "ops.linalg",
    "ops.nn", "ops.numpy", "optimizers", "optimizers.schedules", "preprocessing",
    "preprocessing.image", "preprocessing.sequence", "quantizers", "random", "regularizers",
    "saving", "tree", "utils", "utils.legacy", "visualization", "wrappers",
    "utils.bounding_boxes", "datasets",
] + [f"datasets.{name}" for name in DATASETS]

# {namespace: {name: reason}}
ALLOWED = {}


def _allow(namespace, reason, names):
    for name in names.split():
        assert name not in ALLOWED.get(namespace, {}), f"{namespace}.{name} listed twice"
        ALLOWED.setdefault(namespace, {})[name] = reason


_allow('', "keras.src is Keras's private implementation package, not API", """
    src
""")
_allow('', 'knowledge distillation (keras.distillation): a separate issue, not planned yet', """
    distillation
""")
_allow('', 'rematerialization needs an engine hook in the adapter contract (jax.checkpoint, '
       'torch.utils.checkpoint, tf.recompute_grad): a separate issue', """
    RematScope remat
""")
_allow('quantizers', 'GPTQ/AWQ need layer-by-layer calibration on data (Hessian or '
       'activation statistics), which kfront does not implement: Model.quantize refuses '
       'the modes', """
    AWQConfig GPTQConfig
""")


@pytest.fixture(scope="session")
def keras_module():
    return pytest.importorskip("keras")


def _keras_names(keras_module, namespace):
    module = importlib.import_module("keras" + (f".{namespace}" if namespace else ""))
    return sorted(n for n in dir(module) if not n.startswith("_"))


def _kfront_module(namespace):
    try:
        return importlib.import_module("kfront" + (f".{namespace}" if namespace else ""))
    except ImportError:
        return None


@pytest.mark.parametrize("namespace", NAMESPACES, ids=lambda ns: ns or "top_level")
def test_every_keras_name_exists_in_kfront(keras_module, namespace):
    module = _kfront_module(namespace)
    allowed = ALLOWED.get(namespace, {})
    missing = [name for name in _keras_names(keras_module, namespace)
               if name not in allowed and (module is None or not hasattr(module, name))]
    where = f"kfront.{namespace}" if namespace else "kfront"
    assert not missing, f"{where} lacks these names of keras.{namespace or '*'}: {missing}"


@pytest.mark.parametrize("namespace", sorted(ALLOWED), ids=lambda ns: ns or "top_level")
def test_allowlist_has_no_stale_entries(keras_module, namespace):
    module = _kfront_module(namespace)
    keras_names = set(_keras_names(keras_module, namespace))
    present = sorted(n for n in ALLOWED[namespace] if module is not None and hasattr(module, n))
    assert not present, f"kfront has these now: remove them from the allowlist: {present}"
    gone = sorted(n for n in ALLOWED[namespace] if n not in keras_names)
    assert not gone, f"keras.{namespace} no longer has these: remove them: {gone}"


def test_namespace_lists_cover_keras(keras_module):
    import keras.datasets
    datasets = sorted(n for n in dir(keras.datasets) if not n.startswith("_"))
    assert datasets == DATASETS
    assert set(ALLOWED) <= set(NAMESPACES)
