"""Where the time of a torch training step goes: the hand-written eager loop
(native_torch.py) against kfront's ``jit_compile=True`` step, with ``torch.profiler`` on one
thread.

    taskset -c 1 .venv/bin/python benchmarks/profile_compiled.py [--workloads mlp,lstm]
        [--steps 50] [--rounds 5] [--core 1] [--clock wall|cpu] [--top 0]
        [--inductor KEY=VALUE ...]

One process per workload. Both steps are built in it (kfront compiles its step in a warm-up
``fit``) and then take turns an epoch at a time (a fraction of a second each, as run.py's
implementations take turns), so that drift in the machine's speed hits them alike:
``--rounds`` times a native epoch and a kfront epoch timed with the profiler off, then
both profiled; the round whose two steps took the least wall time is reported. Prints per
workload:

- wall times (profiler off, median steps): the native step; kfront's step as run.py's step
  column times it (``on_train_batch_begin`` to ``on_train_batch_end`` inside ``fit``, the
  loss read as a float there); and the part of it spent inside the compiled graph
  (inductor's ``CompiledFxGraph`` call: its kernels, the extern GEMMs and its Python
  wrapper). The rest of kfront's step is the way into the graph: dynamo's frame hook and
  guards, AOTAutograd's runtime wrappers, kfront's step wrapper and ``fit``'s loop. The
  floor is the time of the compiled step's kernels alone over the native step: the ratio
  the compiled step would reach with no Python, dispatch or guard time at all.
- the profiled time per step in the categories of ``CATEGORIES``, native against compiled.
  Every op's self time inside a step's ``record_function`` range is put in a category by
  its name (inductor's kernels are named after the aten ops they fuse and are recorded one
  by one with ``torch._inductor.config.cpp.enable_kernel_profile``); the range's time that
  no op accounts for is Python and dispatch. The profiler adds a few microseconds per
  recorded op, so profiled totals exceed the wall times, the native loop's more (it runs
  more, smaller ops).

``--clock cpu`` times the steps by this thread's CPU time instead of the wall clock: on a
core shared with another process, the time the scheduler gives that process then does not
count (its cache and memory traffic still does). The profiler's times stay wall times.
``--top N`` lists the N ops with the most self time in each step; ``--inductor`` sets an
inductor config value for the compiled step (e.g. ``--inductor cpp_wrapper=True``).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from measure import ALLOCATOR_ENV, THREAD_ENV, pin_engine_threads, pin_process  # noqa: E402

os.environ["KFRONT_BACKEND"] = "torch"
if any(os.environ.get(k) != v for k, v in {**THREAD_ENV, **ALLOCATOR_ENV}.items()):
    # Thread and allocator settings are read at process start: run again with run.py's.
    os.execve(sys.executable, [sys.executable, *sys.argv],
              {**os.environ, **THREAD_ENV, **ALLOCATOR_ENV})

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import native_torch  # noqa: E402
import workloads as W  # noqa: E402

# The step clock: wall time, or with ``--clock cpu`` this thread's CPU time (what the step
# cost when another process shares the core and takes turns with it on the CPU).
CLOCK = [time.perf_counter]

CATEGORIES = (
    ("matmul", "GEMM (mm, addmm) / oneDNN's fused LSTM layer and its backward"),
    ("optimizer", "Adam update (native: everything under Optimizer.step, its Python "
                  "included)"),
    ("elementwise", "loss, activations and their gradients, bias sums, embedding lookup "
                    "and gradient, copies"),
    ("python", "Python and dispatch: the step's time no op accounts for"),
)
_MATMUL = ("aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm", "mkldnn_rnn_layer",
           "aoti_torch_cpu_mm", "aoti_torch_cpu_addmm")
# Inductor's fused kernels carry the names of the ops they fuse; the Adam update's these.
_ADAM = ("_foreach_", "addcdiv", "lerp", "sqrt", "addcmul")
# aten ops whose own time is dispatch to the ops they call.
_COMPOSITE = ("aten::linear", "aten::matmul", "aten::lstm")


def category(name, under_optimizer=False):
    """The category of an op's self time, by its name (and whether it ran inside
    ``Optimizer.step``)."""
    if any(m in name for m in _MATMUL):
        return "matmul"
    if under_optimizer or any(m in name for m in _ADAM):
        return "optimizer"
    if ("cpp_fused" in name or name.startswith("aten::")) and name not in _COMPOSITE:
        return "elementwise"
    return "python"


def _add_self_times(event, under_optimizer, totals):
    under = under_optimizer or event.name.startswith("Optimizer.step")
    kind = category(event.name, under)
    totals[kind] = totals.get(kind, 0.0) + event.self_cpu_time_total
    for child in event.cpu_children:
        _add_self_times(child, under, totals)


def _ranges(prof, label):
    return [e for e in prof.events() if e.name == label and e.cpu_parent is None]


def breakdown(prof, label):
    """Milliseconds per ``label`` range, by category."""
    ranges = _ranges(prof, label)
    totals = {}
    for e in ranges:
        _add_self_times(e, False, totals)
    return {k: v / len(ranges) / 1000.0 for k, v in totals.items()}


def top_ops(prof, label, n):
    """The ``n`` op names with the most self time per ``label`` range, in ms."""
    per = {}

    def add(event):
        per[event.name] = per.get(event.name, 0.0) + event.self_cpu_time_total
        for c in event.cpu_children:
            add(c)
    ranges = _ranges(prof, label)
    for e in ranges:
        add(e)
    return [(k, v / len(ranges) / 1000.0)
            for k, v in sorted(per.items(), key=lambda kv: -kv[1])[:n]]


def native_step(name):
    """native_torch.run's step (same model, Adam(foreach=True), cross-entropy), the loss
    read with ``.item()``."""
    torch.manual_seed(W.SEED)
    model = native_torch.build(name)
    opt = torch.optim.Adam(model.parameters(), lr=W.LEARNING_RATE, foreach=True)

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        return loss.detach().item()

    return step


def native_batches(name, steps):
    x, y = W.make_data(name, steps)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y).long()
    if x.dtype.kind == "i":
        xt = xt.long()
    bs = W.batch_size(name)
    return list(zip(xt.split(bs), yt.split(bs)))


class GraphClock:
    """Times every call of an inductor-compiled graph while entered."""

    def __init__(self):
        from torch._inductor import output_code
        self.owner, self.times = output_code.CompiledFxGraph, []

    def __enter__(self):
        self.call = self.owner.__call__
        call, times = self.call, self.times

        def timed(graph, *args, **kwargs):
            t = CLOCK[0]()
            try:
                return call(graph, *args, **kwargs)
            finally:
                times.append(CLOCK[0]() - t)
        self.owner.__call__ = timed
        return self

    def __exit__(self, *exc):
        self.owner.__call__ = self.call


class CompiledModel:
    """kfront's model with ``jit_compile=True``, trained one ``fit`` epoch at a time."""

    def __init__(self, name, steps):
        import kfront
        import keras_models
        self.kfront = kfront
        kfront.utils.set_random_seed(W.SEED)
        self.model = keras_models.build(kfront, name)
        keras_models.compile_model(kfront, self.model, jit_compile=True)
        self.x, self.y = W.make_data(name, steps)
        self.batch_size = W.batch_size(name)

    def epoch(self, label):
        """One ``fit`` epoch; returns each step's wall time. Each step is also a
        ``record_function(label)`` range."""
        times = []

        class Clock(self.kfront.callbacks.Callback):
            def on_train_batch_begin(self, batch, logs=None):
                self.span = torch.profiler.record_function(label)
                self.span.__enter__()
                self.t = CLOCK[0]()

            def on_train_batch_end(self, batch, logs=None):
                float(logs["loss"])
                times.append(CLOCK[0]() - self.t)
                self.span.__exit__(None, None, None)

        self.model.fit(self.x, self.y, batch_size=self.batch_size, epochs=1, verbose=0,
                       shuffle=False, callbacks=[Clock()])
        return times


def profile(name, steps, rounds=5, options=()):
    """Wall times (ms) and the profiler's per-category breakdown of both steps, and the
    profile they came from."""
    import torch._inductor.config as inductor_config
    inductor_config.cpp.enable_kernel_profile = True
    for option in options:
        key, _, value = option.partition("=")
        target = inductor_config
        *path, last = key.split(".")
        for part in path:
            target = getattr(target, part)
        setattr(target, last, eval(value))  # a literal: True, 1, "CPP,ATEN"
    native = native_step(name)
    batches = native_batches(name, steps)
    compiled = CompiledModel(name, steps)
    native_times = []

    def native_epoch():
        for xb, yb in batches:
            with torch.profiler.record_function("native step"):
                t = CLOCK[0]()
                native(xb, yb)
                native_times.append(CLOCK[0]() - t)

    compiled.epoch("kfront step")  # the first step runs eagerly, the second compiles
    native_epoch()
    best = None
    for _ in range(rounds):
        native_times.clear()
        native_epoch()
        with GraphClock() as graph:
            kfront_times = compiled.epoch("kfront step")
        wall = {"native": statistics.median(native_times) * 1e3,
                "kfront": statistics.median(kfront_times) * 1e3,
                "graph": statistics.median(graph.times) * 1e3}
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
            native_epoch()
            compiled.epoch("kfront step")
        rows = {"native": breakdown(prof, "native step"),
                "kfront": breakdown(prof, "kfront step")}
        # Noise only adds time: the quietest round (least wall time of both steps) is kept
        # whole, so that every figure of the report comes from the same round.
        score = wall["native"] + wall["kfront"]
        if best is None or score < best[0]:
            best = (score, wall, rows, prof)
    return best[1:]


def report(name, steps, wall, rows):
    """Markdown: the wall times, then the per-category table."""
    kernels = sum(rows["kfront"].get(k, 0.0) for k in ("matmul", "optimizer", "elementwise"))
    lines = [f"### {name} ({steps}-step epochs in turns; the quietest of the rounds)", "",
             f"| {'CPU' if CLOCK[0] is time.thread_time else 'wall'} time, profiler off "
             "(median) | ms |", "|---|---|",
             f"| native step | {wall['native']:.3f} |",
             f"| kfront compiled step (fit, loss read) | {wall['kfront']:.3f} |",
             f"| ... inside the compiled graph | {wall['graph']:.3f} |",
             f"| ... outside it (dynamo, guards, AOT wrappers, fit loop) | "
             f"{wall['kfront'] - wall['graph']:.3f} |",
             f"| compiled / native | {wall['kfront'] / wall['native']:.2f} |",
             f"| floor: compiled kernels alone (profiled matmul + optimizer + elementwise) "
             f"/ native step | {kernels / wall['native']:.2f} |", "",
             "| profiled, ms per step | native | compiled | compiled - native | "
             "share of native |", "|---|---|---|---|---|"]
    n_total, c_total = sum(rows["native"].values()), sum(rows["kfront"].values())
    for key, what in CATEGORIES:
        n, c = rows["native"].get(key, 0.0), rows["kfront"].get(key, 0.0)
        lines.append(f"| {key}: {what} | {n:.3f} | {c:.3f} | {c - n:+.3f} | "
                     f"{n / n_total:.0%} |")
    lines.append(f"| total | {n_total:.3f} | {c_total:.3f} | {c_total - n_total:+.3f} | "
                 "100% |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workloads", default="mlp,lstm")
    p.add_argument("--steps", type=int, default=50, help="steps per epoch")
    p.add_argument("--core", type=int, default=max(os.sched_getaffinity(0)))
    p.add_argument("--rounds", type=int, default=5,
                   help="timed and profiled epochs; the quietest round is reported")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="time steps by the wall clock or by this thread's CPU time")
    p.add_argument("--top", type=int, default=0, help="also list the N costliest ops")
    p.add_argument("--inductor", action="append", default=[], metavar="KEY=VALUE",
                   help="an inductor config value for the compiled step (repeatable)")
    a = p.parse_args(argv)
    names = [w.strip() for w in a.workloads.split(",") if w.strip()]
    if len(names) > 1:
        # A process per workload: dynamo keys its cache by the step's code object, so a
        # second model's step would first try (and fail) the guards of the first one's.
        argv = list(sys.argv[1:] if argv is None else argv)
        for name in names:
            subprocess.run([sys.executable, os.path.abspath(__file__), *argv,
                            "--workloads", name], check=True)
        return
    pin_process(a.core)
    pin_engine_threads("torch")
    if a.clock == "cpu":
        CLOCK[0] = time.thread_time
    for name in names:
        wall, rows, prof = profile(name, a.steps, a.rounds, a.inductor)
        print(report(name, a.steps, wall, rows), flush=True)
        for label in ("native step", "kfront step") if a.top else ():
            print(f"\n{label}: the {a.top} ops with the most self time, ms per step "
                  "(category by name alone)")
            for op, ms in top_ops(prof, label, a.top):
                print(f"  {ms:8.3f}  {category(op):11s} {op[:100]}")
        print()


if __name__ == "__main__":
    main()
