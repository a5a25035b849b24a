"""Runs examples/digits_mlp.py once per installed engine and prints the test accuracies.

Each backend runs in its own process: the engine is chosen before `import kfront`.
"""
import importlib.util
import os
import subprocess
import sys


def installed_backends():
    # Checked without importing kfront, which would load an engine in this process.
    return [b for b in ("torch", "jax", "tensorflow") if importlib.util.find_spec(b)]


here = os.path.dirname(os.path.abspath(__file__))
results = {}
for name in installed_backends():
    env = dict(os.environ, KFRONT_BACKEND=name, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, os.path.join(here, "digits_mlp.py")], env=env,
                          capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("backend=")]
    if proc.returncode != 0 or not lines:
        print(proc.stdout[-2000:], proc.stderr[-4000:], sep="\n")
        sys.exit(f"digits_mlp.py failed on backend {name!r}")
    results[name] = dict(kv.split("=") for kv in lines[-1].split())
    print(lines[-1], flush=True)

print("\nTest accuracy on the UCI digits, per backend:")
for name, r in results.items():
    print(f"  {name:<11} {float(r['test_accuracy']):.4f}")
