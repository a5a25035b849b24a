"""Steps compiled whole with ``torch.compile`` (``model.compile(jit_compile=True)``).

A train step becomes one graph: forward, loss, ``torch.autograd.grad``, the optimizer
update and the metric updates. Shapes are dynamic, so the last, smaller batch of an epoch
runs the same graph instead of compiling a second one. Where the compiler cannot run (no C
compiler, an inductor failure), the step warns once, saying why, and runs eagerly.
"""
import shutil
import warnings

import torch

__all__ = ["compile_step_function", "compiler_unavailable"]

def _compiler_errors():
    """Errors that mean "the compiler failed", as opposed to the step's own errors (those
    are raised again by the eager run that follows)."""
    import torch._dynamo.exc as dynamo_exc
    import torch._inductor.exc as inductor_exc
    found = [getattr(dynamo_exc, "BackendCompilerFailed", None),
             getattr(dynamo_exc, "InternalTorchDynamoError", None),
             getattr(inductor_exc, "InductorError", None),
             getattr(inductor_exc, "CppCompileError", None)]
    return tuple(e for e in found if e is not None)


def compiler_unavailable():
    """Why ``torch.compile`` cannot build CPU kernels here, or None when it can."""
    if not hasattr(torch, "compile"):
        return f"torch {torch.__version__} has no torch.compile"
    if not any(shutil.which(cc) for cc in ("cc", "gcc", "clang", "c++", "g++")):
        return "no C compiler on PATH (inductor builds its CPU kernels with one)"
    return None


def _warn_eager(why):
    warnings.warn(f"jit_compile=True: torch.compile is unavailable ({why}); the steps run "
                  "eagerly.", RuntimeWarning, stacklevel=4)


def compile_step_function(step_fn):
    """``step_fn`` compiled with ``torch.compile(dynamic=True)``, tracing through
    ``torch.autograd.grad`` so that the backward pass and the update join the forward
    graph. The first call runs eagerly and the second compiles. The first compiler failure
    is reported once and the step then runs eagerly."""
    why = compiler_unavailable()
    if why is not None:
        _warn_eager(why)
        return step_fn
    compiled = torch.compile(step_fn, dynamic=True)
    errors = _compiler_errors()
    dynamo_config = torch._dynamo.config
    # The first call runs eagerly: it fills what kfront creates or memoizes on first use
    # (optimizer slots, per-class lookups), which a trace would otherwise guard on and
    # compile again after.
    state = {"fn": None}

    def run(data):
        fn = state["fn"]
        if fn is None:
            state["fn"] = compiled
            return step_fn(data)
        if fn is step_fn:
            return step_fn(data)
        # Set and restored by hand around every call (a compile may come at any call):
        # ``config.patch`` builds a context-manager class per use, about 15 us a step.
        prior = dynamo_config.trace_autograd_ops
        dynamo_config.trace_autograd_ops = True
        try:
            with warnings.catch_warnings():
                # The shape helpers behind lru_cache are pure functions of their arguments.
                warnings.filterwarnings("ignore", message=".*lru_cache", category=UserWarning)
                return fn(data)
        except errors as exc:
            # Compiling happens before the graph runs: no state was touched.
            state["fn"] = step_fn
            _warn_eager(f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:200]}"
                        if str(exc).strip() else type(exc).__name__)
            return step_fn(data)
        finally:
            dynamo_config.trace_autograd_ops = prior

    return run
