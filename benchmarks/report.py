"""Folds per-round worker results into the markdown table run.py prints."""
import statistics

HEADER = ("| workload | engine | impl | step ms | epoch ms/step | first step s "
          "| to first epoch s | import s | peak RSS MiB | × native step | × native epoch "
          "| × native step, all rounds |")
RULE = "|" + "---|" * 12


def _median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def aggregate(rounds):
    """One row's numbers from its rounds.

    Step and epoch: the best round (each round's step figure is the median of its steps).
    A whole process can run a third slower than another of the same program on this kind
    of machine, in every implementation alike (see README.md), so, as with ``timeit``, the
    fastest round is the program's own cost. ``step_all_ms`` pools all steps of all rounds.
    First step, import and peak RSS: the median round. (TensorFlow's peak RSS moves by
    up to 70 MiB between processes of the same program; the largest round is that noise.)
    """
    ok = [r for r in rounds if "skip" not in r]
    if not ok:
        return {"skip": rounds[-1]["skip"] if rounds else "not run"}
    return {
        "step_ms": 1e3 * min(_median(r["step_s"]) for r in ok),
        "step_all_ms": 1e3 * _median([t for r in ok for t in r["step_s"]]),
        "epoch_ms": 1e3 * min(r["epoch_step_s"] for r in ok),
        "first_s": _median([r["first_s"] for r in ok]),
        "to_first_epoch_s": _median([r.get("to_first_epoch_s") for r in ok]),
        "import_s": _median([r["import_s"] for r in ok]),
        "rss": _median([r["peak_rss_mib"] for r in ok]),
        "rounds": len(ok), "failed": len(rounds) - len(ok),
        "jit_compile": ok[-1].get("jit_compile"),
        "thread_note": ok[-1].get("thread_note"),
    }


def _fmt(x, digits):
    return "–" if x is None else f"{x:.{digits}f}"


def table(results, workloads, engines, impls, args):
    lines = [HEADER, RULE]
    notes = []
    jit = {}  # impl -> engine -> the jit_compile values its default resolved to
    for w in workloads:
        for e in engines:
            rows = {i: aggregate(results.get((w, e, i), [])) for i in impls}
            base = rows.get("native", {})
            for i in impls:
                row = rows[i]
                if "skip" in row:
                    lines.append(f"| {w} | {e} | {i} | skipped" + " | –" * 8 + " |")
                    notes.append(f"{w}/{e}/{i} skipped: {row['skip']}")
                    continue
                ratio_step = ratio_epoch = ratio_all = None
                if "step_ms" in base:
                    ratio_step = row["step_ms"] / base["step_ms"]
                    ratio_epoch = row["epoch_ms"] / base["epoch_ms"]
                    ratio_all = row["step_all_ms"] / base["step_all_ms"]
                lines.append(
                    f"| {w} | {e} | {i} | {_fmt(row['step_ms'], 2)} | {_fmt(row['epoch_ms'], 2)} "
                    f"| {_fmt(row['first_s'], 2)} | {_fmt(row['to_first_epoch_s'], 2)} "
                    f"| {_fmt(row['import_s'], 2)} "
                    f"| {_fmt(row['rss'], 0)} | {_fmt(ratio_step, 2)} | {_fmt(ratio_epoch, 2)} "
                    f"| {_fmt(ratio_all, 2)} |")
                if row["failed"]:
                    notes.append(f"{w}/{e}/{i}: {row['failed']} of "
                                 f"{row['rounds'] + row['failed']} rounds failed")
                if row["thread_note"]:
                    notes.append(f"{w}/{e}/{i}: {row['thread_note']}")
                if i != "native" and row["jit_compile"] is not None:
                    jit.setdefault(i, {}).setdefault(e, set()).add(row["jit_compile"])
    for i, per_engine in jit.items():
        notes.append(f"{i} compiled steps with its default jit_compile: " + ", ".join(
            f"{e}={'/'.join(map(str, sorted(per_engine[e])))}" for e in engines
            if e in per_engine) + ".")
    if "dataloader" in workloads:
        notes.append("dataloader: every implementation reads the same torch DataLoader (torch) "
                     "or tf.data pipeline (tensorflow) directly. JAX has no loader: every "
                     "implementation gets NumPy batches there (Keras 3 and kfront through a "
                     "generator).")
    notes.append(f"{args.rounds} round(s) x {args.steps} steps, one core (#{args.core}), one "
                 "thread per engine; ratios are to the native loop on the same engine. Step "
                 "and epoch: the fastest round (a round's step: the median of its steps); "
                 "the last column pools every step of every round.")
    return "\n".join(lines + ["", "Notes:"] + [f"- {n}" for n in notes])
