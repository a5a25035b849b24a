"""No memory growth: peak RSS of ``fit`` and of ``predict`` in a loop stays within 5% from
epoch 2 to epoch 20 (each engine in a fresh process, so the baseline is kfront's own)."""
import json
import os
import subprocess
import sys

from kfront import config

SCRIPT = r"""
import json, numpy as np
import kfront as keras

def peak_rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(512, 32)).astype("float32")
y = rng.integers(0, 10, size=(512,))
model = keras.Sequential([keras.Input((32,)), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dropout(0.1), keras.layers.Dense(10, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
fit_peaks = []
model.fit(x, y, batch_size=32, epochs=20, verbose=0, validation_split=0.1,
          callbacks=[keras.callbacks.LambdaCallback(
              on_epoch_end=lambda epoch, logs: fit_peaks.append(peak_rss_kib()))])
predict_peaks = []
for _ in range(20):
    model.predict(x, batch_size=64, verbose=0)
    predict_peaks.append(peak_rss_kib())
print(json.dumps({"fit": fit_peaks, "predict": predict_peaks}))
"""


def test_peak_rss_stays_flat_over_epochs():
    if not os.path.exists("/proc/self/status"):
        import pytest
        pytest.skip("peak RSS is read from /proc (Linux)")
    env = dict(os.environ, KFRONT_BACKEND=config.backend(), OMP_NUM_THREADS="1",
               TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    peaks = json.loads(proc.stdout.strip().splitlines()[-1])
    for kind in ("fit", "predict"):
        series = peaks[kind]
        assert len(series) == 20
        growth = series[19] / series[1] - 1.0
        assert growth <= 0.05, (
            f"{kind}: peak RSS grew {growth:.1%} from iteration 2 to 20 "
            f"({series[1]} KiB -> {series[19]} KiB): {series}")
