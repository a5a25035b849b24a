"""``python -m kfront info``: what kfront runs on here, for bug reports and CI logs.

Prints kfront's and Python's versions, the selected backend and where that choice came
from (``KFRONT_BACKEND``, the config file, or the default order), floatx and
image_data_format, each installed engine with its version and the devices it sees, and the
optional packages. Each engine is asked for its devices in its own process, since one
process runs one backend.
"""
import argparse
import concurrent.futures
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys

# (display name, distributions that provide it: the first installed one is reported)
ENGINES = {"torch": ("torch",), "jax": ("jax", "jaxlib"), "tensorflow": ("tensorflow",
                                                                         "tensorflow-cpu")}
OPTIONAL = ("h5py", "numpy", "Pillow", "scikit-learn", "onnx", "onnxruntime", "onnxscript",
            "flax", "optax", "pydot", "matplotlib", "PyYAML", "optuna", "mkdocs")
_DEVICES_SCRIPT = "import json, kfront; print(json.dumps(kfront.distribution.list_devices()))"


def _version(*distributions):
    found = []
    for name in distributions:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return ", ".join(found) or None


def engine_devices(name, timeout=180):
    """The devices ``name`` sees (``["cpu:0"]``...), asked in a fresh process."""
    env = dict(os.environ, KFRONT_BACKEND=name, TF_CPP_MIN_LOG_LEVEL="3")
    try:
        proc = subprocess.run([sys.executable, "-c", _DEVICES_SCRIPT], env=env, timeout=timeout,
                              capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return f"(no answer in {timeout} s)"
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return f"(failed: {last[:200]})"
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return f"(unreadable answer: {proc.stdout[-200:]!r})"


def collect(devices=True, device_lister=engine_devices):
    """The report as a dict (``--json`` prints it as is)."""
    from kfront import config
    from kfront.version import __version__
    engines = {name: {"version": _version(*dists)} for name, dists in ENGINES.items()
               if name in config.installed_backends()}
    if devices:
        with concurrent.futures.ThreadPoolExecutor(max(1, len(engines))) as pool:
            found = dict(zip(engines, pool.map(device_lister, engines)))
        for name, listed in found.items():
            engines[name]["devices"] = listed
    return {
        "kfront": __version__,
        "python": f"{platform.python_version()} ({sys.executable})",
        "platform": platform.platform(),
        "backend": config.backend(),
        "backend_source": config.backend_source(),
        "config_file": config._config_path() + ("" if os.path.exists(config._config_path())
                                                 else " (absent)"),
        "floatx": config.floatx(),
        "image_data_format": config.image_data_format(),
        "epsilon": config.epsilon(),
        "engines": engines,
        "optional": {name: _version(name) for name in OPTIONAL},
        "graphviz_dot": shutil.which("dot"),
    }


def format_report(info):
    lines = [f"kfront {info['kfront']}", f"python {info['python']}",
             f"platform {info['platform']}", "",
             f"backend: {info['backend']}  (chosen by {info['backend_source']})",
             f"config file: {info['config_file']}",
             f"floatx: {info['floatx']}   image_data_format: {info['image_data_format']}   "
             f"epsilon: {info['epsilon']}", "", "engines:"]
    for name, entry in info["engines"].items():
        mark = "*" if name == info["backend"] else " "
        line = f" {mark} {name:11s} {entry['version']}"
        if "devices" in entry:
            devices = entry["devices"]
            line += "   devices: " + (", ".join(devices) if isinstance(devices, list)
                                       else str(devices))
        lines.append(line)
    if not info["engines"]:
        lines.append("   (none installed: pip install 'kfront[torch]', '[jax]' or "
                     "'[tensorflow]')")
    lines += ["", "optional packages:"]
    for name, version in info["optional"].items():
        lines.append(f"   {name:13s} {version.split(' ', 1)[1] if version else '-'}")
    lines.append(f"   {'graphviz dot':13s} {info['graphviz_dot'] or '-'}")
    return "\n".join(lines)


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m kfront info", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--no-devices", action="store_true",
                        help="skip asking each engine for its devices (faster)")
    args = parser.parse_args(argv)
    info = collect(devices=not args.no_devices)
    print(json.dumps(info, indent=2) if args.json else format_report(info))
    return 0
