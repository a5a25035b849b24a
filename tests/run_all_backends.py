"""Runs the whole test suite once per backend (each in its own process) and sums up.

    python tests/run_all_backends.py [pytest args...]

The engine is chosen before `import kfront`, so each backend needs a fresh process.
Threads are pinned to one per engine: on small machines oversubscription costs more
than it gives. The last line is the total: 'all backends: N passed, N failed'.
"""
import os
import re
import subprocess
import sys
import time

BACKENDS = ("torch", "jax", "tensorflow")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(extra):
    totals = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
    failed_backends = []
    for name in os.environ.get("KFRONT_TEST_BACKENDS", ",".join(BACKENDS)).split(","):
        env = dict(os.environ, KFRONT_BACKEND=name, OMP_NUM_THREADS="1",
                   TF_NUM_INTEROP_THREADS="1", TF_NUM_INTRAOP_THREADS="1",
                   TF_CPP_MIN_LOG_LEVEL="3",
                   XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
        print(f"\n===== backend: {name} =====", flush=True)
        start = time.time()
        proc = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        last = ""
        for line in proc.stdout:
            sys.stdout.write(line)
            if re.search(r"\d+ (passed|failed|error)", line):
                last = line
        code = proc.wait()
        for key, pattern in (("passed", r"(\d+) passed"), ("failed", r"(\d+) failed"),
                             ("skipped", r"(\d+) skipped"), ("errors", r"(\d+) error")):
            m = re.search(pattern, last)
            totals[key] += int(m.group(1)) if m else 0
        print(f"===== {name}: exit {code} in {time.time() - start:.0f}s =====", flush=True)
        if code != 0:
            failed_backends.append(name)
    failed = totals["failed"] + totals["errors"]
    print(f"\nall backends: {totals['passed']} passed, {failed} failed, "
          f"{totals['skipped']} skipped")
    if failed_backends:
        print(f"failing backends: {failed_backends}")
    return 1 if failed_backends else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
