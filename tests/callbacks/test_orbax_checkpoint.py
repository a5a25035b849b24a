"""OrbaxCheckpoint: Orbax is optional; without it the error says how to install it."""
import importlib.util

import pytest

import kfront as keras


def test_orbax_checkpoint_names_the_package_to_install(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith("orbax") else real(name, *a))
    with pytest.raises(ImportError, match="pip install orbax-checkpoint"):
        keras.callbacks.OrbaxCheckpoint(str(tmp_path / "ckpt"))


def test_with_orbax_installed_it_says_what_to_use_instead(tmp_path, monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object())
    with pytest.raises(NotImplementedError, match="Use kfront.callbacks.ModelCheckpoint"):
        keras.callbacks.OrbaxCheckpoint(str(tmp_path / "ckpt"), monitor="loss")
