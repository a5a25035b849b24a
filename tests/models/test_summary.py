"""model.summary(): the table header, one row per layer and the parameter totals."""
import re

import pytest

import kfront as keras
from kfront import layers


def summary_text(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    assert len(lines) == 1
    return lines[0]


def row(text, name):
    found = [line for line in text.splitlines() if line.startswith(f"│ {name} ")]
    assert len(found) == 1, text
    return [cell.strip() for cell in found[0].strip("│").split("│")]


@pytest.fixture
def model():
    return keras.Sequential([layers.Dense(40, activation="relu", input_shape=(30,),
                                          name="hidden"),
                             layers.Dropout(0.2, name="drop"),
                             layers.Dense(2, name="out")], name="clf")


def test_summary_header_rows_and_totals(model):
    text = summary_text(model)
    lines = text.splitlines()
    assert lines[0] == 'Model: "clf"'
    assert re.search(r"┃ Layer \(type\) +┃ Output Shape +┃ +Param # ┃", lines[2])
    assert row(text, "hidden") == ["hidden (Dense)", "(None, 40)", "1,240"]
    assert row(text, "drop") == ["drop (Dropout)", "(None, 40)", "0"]
    assert row(text, "out") == ["out (Dense)", "(None, 2)", "82"]
    assert " Total params: 1,322 (5.16 KB)" in lines
    assert " Trainable params: 1,322 (5.16 KB)" in lines
    assert " Non-trainable params: 0 (0.00 B)" in lines


def test_summary_rows_in_layer_order(model):
    text = summary_text(model)
    positions = [text.index(f"│ {name} (") for name in ("hidden", "drop", "out")]
    assert positions == sorted(positions)


def test_summary_counts_frozen_params(model):
    model.get_layer("hidden").trainable = False
    lines = summary_text(model).splitlines()
    assert " Total params: 1,322 (5.16 KB)" in lines
    assert " Trainable params: 82 (328.00 B)" in lines
    assert " Non-trainable params: 1,240 (4.84 KB)" in lines


def test_summary_unbuilt_layers():
    text = summary_text(keras.Sequential([layers.Dense(3, name="lazy")], name="u"))
    assert row(text, "lazy") == ["lazy (Dense)", "?", "0 (unbuilt)"]
    assert "Total params: 0 (0.00 B)" in text


def test_summary_functional_lists_input_layer():
    x = keras.Input(shape=(3,), name="features")
    y = layers.Dense(2, name="proj")(x)
    text = summary_text(keras.Model(x, y, name="fn"))
    assert row(text, "features") == ["features (InputLayer)", "(None, 3)", "0"]
    assert row(text, "proj") == ["proj (Dense)", "(None, 2)", "8"]
    assert "Total params: 8 (32.00 B)" in text


def test_summary_line_length_narrows_table(model):
    wide = summary_text(model).splitlines()[1]
    narrow = summary_text(model, line_length=60).splitlines()[1]
    assert len(narrow) < len(wide)
    assert len(narrow) <= 60


def test_summary_prints_to_stdout_by_default(model, capsys):
    model.summary()
    assert "Total params: 1,322" in capsys.readouterr().out
