"""Exporting models for serving systems (``kfront.export``, as ``keras.export``).

``Model.export(filepath, format=...)`` writes a TensorFlow SavedModel, an ONNX file or a
``torch.export`` program from any backend; ``ExportArchive`` builds a SavedModel with
several endpoints.
"""
from kfront.export.saved_model import ExportArchive  # noqa: F401
