"""Train a small digits classifier, export it for serving, and answer predictions from the
exported files: ONNX with onnxruntime, and a TensorFlow SavedModel (what TensorFlow Serving
loads) with ``tf.saved_model.load``. Both must equal ``model.predict``.

    pip install "kfront[onnx]"
    KFRONT_BACKEND=torch python examples/serve.py
"""
import os
import shutil
import tempfile

import numpy as np

import kfront as keras
from kfront import layers

keras.utils.set_random_seed(42)
(x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
x_train = x_train.reshape(-1, 64).astype("float32") / 16.0
x_test = x_test.reshape(-1, 64).astype("float32") / 16.0

model = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=10, verbose=0)
expected = model.predict(x_test, verbose=0)

out_dir = tempfile.mkdtemp(prefix="kfront_serve_")
onnx_path = os.path.join(out_dir, "digits.onnx")
saved_model_dir = os.path.join(out_dir, "digits_saved_model")
model.export(onnx_path, format="onnx")
model.export(saved_model_dir, format="tf_saved_model")

# Serving side: only the exported files and the serving engines are needed from here on.
try:
    import onnxruntime
except ImportError:
    raise SystemExit('This example needs onnxruntime: pip install "kfront[onnx]"')
session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
input_name = session.get_inputs()[0].name
onnx_answers = session.run(None, {input_name: x_test})[0]
onnx_single = session.run(None, {input_name: x_test[:1]})[0]  # any batch size

import tensorflow as tf  # noqa: E402  (the serving side's engine)
served = tf.saved_model.load(saved_model_dir)
tf_answers = served.serve(tf.constant(x_test)).numpy()

onnx_diff = float(max(np.abs(onnx_answers - expected).max(),
                      np.abs(onnx_single - expected[:1]).max()))
tf_diff = float(np.abs(tf_answers - expected).max())
accuracy = float(np.mean(onnx_answers.argmax(axis=1) == y_test))
print(f"first answers: {onnx_answers[:5].argmax(axis=1).tolist()} "
      f"(labels {y_test[:5].tolist()})")
print("onnxruntime equals model.predict:", onnx_diff <= 1e-5)
print("tf.saved_model equals model.predict:", tf_diff <= 1e-5)
print(f"backend={keras.backend.backend()} onnx_max_diff={onnx_diff:.2e} "
      f"saved_model_max_diff={tf_diff:.2e} served_accuracy={accuracy:.4f}")
shutil.rmtree(out_dir)
