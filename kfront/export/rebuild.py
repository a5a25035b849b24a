"""Exports that the current backend cannot write itself run on another backend: the models
are saved to a temporary ``.kfront`` archive and rebuilt, from config and weights, in a
child process with ``KFRONT_BACKEND`` set to the engine that writes the format.

Run as ``python -m kfront.export.rebuild JOB.json`` (that is the child's side).
"""
import json
import os
import subprocess
import sys
import tempfile

_LOAD_FAILED = 3


def run_in_backend(backend, job, models, what):
    """Saves ``models`` and runs ``job`` (a JSON-able dict) in a ``backend`` process.

    Raises:
        ValueError: a model cannot be rebuilt from its config (a subclassed model without
            ``get_config``, say); the message says how to export it instead.
        RuntimeError: the child failed otherwise; the message holds its error output.
    """
    from kfront.saving import registry
    for model in models:
        reason = _unrebuildable(model)
        if reason:
            raise _not_rebuildable(what, backend, reason)
    with tempfile.TemporaryDirectory(prefix="kfront_export_") as tmp:
        paths = []
        for i, model in enumerate(models):
            paths.append(os.path.join(tmp, f"model_{i}.kfront"))
            model.save(paths[-1], include_optimizer=False)
        # Registered custom objects load in the child when their modules import there.
        modules = sorted({getattr(obj, "__module__", None)
                          for obj in registry.get_custom_objects().values()} -
                         {None, "__main__"})
        job = dict(job, models=paths, modules=modules)
        job_path = os.path.join(tmp, "job.json")
        with open(job_path, "w") as f:
            json.dump(job, f)
        env = dict(os.environ, KFRONT_BACKEND=backend,
                   PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        done = subprocess.run([sys.executable, "-m", "kfront.export.rebuild", job_path],
                              env=env, capture_output=True, text=True)
    if done.returncode == _LOAD_FAILED:
        reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "unknown"
        raise _not_rebuildable(what, backend, reason)
    if done.returncode != 0:
        raise RuntimeError(f"{what}: the export on the {backend} backend failed:\n"
                           f"{done.stderr[-4000:]}")
    if done.stdout.strip():
        print(done.stdout.rstrip())


def _not_rebuildable(what, backend, reason):
    from kfront import config
    return ValueError(
        f"{what} from the {config.backend()} backend rebuilds the model on {backend} from "
        f"its saved config and weights, and it cannot be rebuilt: {reason}. Export it from "
        f"the {backend} backend (KFRONT_BACKEND={backend}), or make it serializable (a "
        "Functional or Sequential model of built-in layers, or classes with get_config "
        "registered with kfront.saving.register_keras_serializable in an importable module).")


def _unrebuildable(model):
    """Why the child process could not rebuild ``model`` from its file (None if it can):
    every class in it must be kfront's own or registered in an importable module."""
    from kfront.models.functional import Functional
    from kfront.saving import registry
    layers = [model]
    for layer in layers:
        layers.extend(layer._sublayers())
    for layer in layers:
        cls = type(layer)
        if layer is model and isinstance(model, Functional):
            continue  # saved as a plain Functional model when its class is not registered
        if cls.__module__.startswith("kfront."):
            continue
        if registry.registered_key(cls) is None:
            return (f"{cls.__name__} ({layer.name!r}) is neither a kfront class nor "
                    "registered as serializable")
        if cls.__module__ == "__main__":
            return (f"{cls.__name__} is registered in __main__, which another process "
                    "cannot import")
    return None


def _load(paths, modules):
    import importlib
    from kfront.saving import load_model
    for name in modules:
        importlib.import_module(name)
    return [load_model(p, compile=False) for p in paths]


def _run(job, models):
    from kfront.export import signature as sig
    kind = job["kind"]
    if kind == "archive":
        from kfront.export.saved_model import ExportArchive
        archive = ExportArchive()
        for model in models:
            archive.track(model)
        for name, index, specs in job["endpoints"]:
            archive.add_endpoint(name, models[index].__call__, sig.from_json(specs))
        for name, index, weights in job["collections"]:
            variables = models[index].weights
            archive.add_variable_collection(name, [variables[j] for j in weights])
        archive.write_out(job["filepath"], verbose=False)
    elif kind == "onnx":
        from kfront.export.onnx import export_onnx
        export_onnx(models[0], job["filepath"], verbose=False,
                    input_signature=sig.from_json(job["signature"]), **job["kwargs"])
    elif kind == "torch":
        from kfront.export.torch_program import export_torch
        export_torch(models[0], job["filepath"], verbose=False,
                     input_signature=sig.from_json(job["signature"]), **job["kwargs"])
    else:
        raise ValueError(f"Unknown export job kind {kind!r}.")


def main(job_path):
    with open(job_path) as f:
        job = json.load(f)
    try:
        models = _load(job["models"], job["modules"])
    except Exception as e:  # any load failure means "not rebuildable"
        print(f"{type(e).__name__}: {e}".replace("\n", " "), file=sys.stderr)
        sys.exit(_LOAD_FAILED)
    _run(job, models)


if __name__ == "__main__":
    main(sys.argv[1])
