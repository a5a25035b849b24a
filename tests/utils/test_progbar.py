"""Progbar output, captured: plain lines off a terminal, redrawn lines on one."""
import re

import pytest

from kfront.utils import progbar as progbar_module
from kfront.utils.progbar import Progbar, format_eta, format_time

TIME = r"\d+(us|ms|s)/step"


def test_verbose_1_off_a_terminal_prints_only_the_finished_line(capsys):
    bar = Progbar(target=32, interval=0)
    for step in range(1, 33):
        bar.update(step, [("loss", 0.5), ("accuracy", 0.9)])
    out = capsys.readouterr().out
    assert re.fullmatch(rf"32/32 ━{{20}} \d+s {TIME} - loss: 0\.5000 - accuracy: 0\.9000\n",
                        out), repr(out)


def test_averaged_and_stateful_values(capsys):
    bar = Progbar(target=4, stateful_metrics=["acc"])
    bar.update(1, [("loss", 4.0), ("acc", 0.1)])
    bar.update(3, [("loss", 1.0), ("acc", 0.2)])  # two steps at once: weight 2
    assert bar._values["loss"] == (6.0, 3)
    bar.update(4, [("acc", 0.3)], finalize=False)
    bar.update(4)
    out = capsys.readouterr().out
    # loss: (4 + 1 * 2) / 3 steps; acc: the last value as given.
    assert out.endswith(" - loss: 2.0000 - acc: 0.3000\n"), repr(out)


def test_stateless_metrics_selection_and_conflict():
    bar = Progbar(target=2, stateless_metrics=["loss"])
    bar.update(1, [("loss", 1.0), ("lr", 0.5)])
    bar.update(2, [("loss", 3.0), ("lr", 0.1)], finalize=False)
    assert bar._values == {"loss": (4.0, 2), "lr": (0.1, 1)}
    with pytest.raises(ValueError, match="only one of `stateful_metrics`"):
        Progbar(2, stateful_metrics=["a"], stateless_metrics=["b"])


def test_small_values_use_scientific_notation(capsys):
    bar = Progbar(target=1)
    bar.update(1, [("loss", 0.0001234), ("neg", -0.5)])
    assert capsys.readouterr().out.endswith(" - loss: 1.2340e-04 - neg: -0.5000\n")


def test_verbose_2_single_line(capsys):
    bar = Progbar(target=10, verbose=2)
    for step in range(1, 11):
        bar.update(step, [("loss", 0.25)])
    out = capsys.readouterr().out
    assert re.fullmatch(rf"10/10 - \d+s - {TIME} - loss: 0\.2500\n", out), repr(out)


def test_verbose_0_is_silent(capsys):
    bar = Progbar(target=3, verbose=0)
    for step in range(1, 4):
        bar.update(step, [("loss", 1.0)])
    assert capsys.readouterr().out == ""


def test_unknown_target_and_add(capsys):
    bar = Progbar(target=None)
    bar.add(2, [("loss", 1.0)])
    bar.add(3, [("loss", 2.0)])
    assert bar._seen_so_far == 5
    assert capsys.readouterr().out == ""  # never finished, nothing printed off a terminal
    bar.update(5, [("loss", 1.5)], finalize=True)
    out = capsys.readouterr().out
    assert re.fullmatch(rf"      5/Unknown \d+s {TIME} - loss: 1\.5000\n", out), repr(out)


def test_on_a_terminal_the_line_is_redrawn(capsys, monkeypatch):
    monkeypatch.setattr(progbar_module, "_is_dynamic", lambda: True)
    bar = Progbar(target=4, interval=0)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 1.0)])
    bar.update(4, [("loss", 0.5)])
    out = capsys.readouterr().out
    frames = out.split("\r")[1:]
    assert len(frames) == 3 and out.endswith("\n") and out.count("\n") == 1
    plain = [re.sub(r"\x1b\[\d+m", "", f) for f in frames]
    assert plain[0].startswith("1/4 ━━━━━━━━━━━━━━━━━━━━ ")
    assert "\x1b[32m" + "━" * 5 + "\x1b[0m" in frames[0]  # 1/4 of the bar is done
    assert re.match(rf"2/4 ━{{20}} \d+s {TIME} - loss: 1\.0000", plain[1])  # ETA, then time
    assert re.fullmatch(rf"4/4 ━{{20}} \d+s {TIME} - loss: 0\.5000\s*\n", plain[2])


def test_interval_throttles_redraws(capsys, monkeypatch):
    monkeypatch.setattr(progbar_module, "_is_dynamic", lambda: True)
    bar = Progbar(target=100, interval=3600)
    for step in range(1, 101):
        bar.update(step, [("loss", 1.0)])
    # The first update draws, the next 98 are within the interval, the last one finishes.
    assert capsys.readouterr().out.count("\r") == 2


def test_time_formats():
    assert format_time(2.4, "step") == " 2s/step"
    assert format_time(0.0123, "step") == " 12ms/step"
    assert format_time(0.0000456, "sample") == " 46us/sample"
    assert format_time(0, "step") == " 0s/step"
    assert format_eta(42) == "42s"
    assert format_eta(125) == "2:05"
    assert format_eta(3725) == "1:02:05"
