"""``HyperParameters``: declaring, defaults, conditions and argument errors."""
import pytest

from kfront.tuners import HyperParameters

pytest.importorskip("optuna")


def test_declaring_returns_defaults_and_records_the_space():
    hp = HyperParameters()
    assert hp.Int("units", 32, 256, step=32) == 32
    assert hp.Float("lr", 1e-4, 1e-2, sampling="log") == pytest.approx(1e-4)
    assert hp.Choice("act", ["relu", "tanh"]) == "relu"
    assert hp.Boolean("dropout") is False
    assert hp.Fixed("batch", 64) == 64
    assert hp.Int("units", 1, 2) == 32                  # the first declaration wins
    assert list(hp.space) == ["units", "lr", "act", "dropout", "batch"]
    assert hp["act"] == "relu" and hp.get("batch") == 64
    assert hp.values == {"units": 32, "lr": pytest.approx(1e-4), "act": "relu",
                         "dropout": False, "batch": 64}
    assert "units (Int) {default: 32, min_value: 32, max_value: 256, step: 32" in \
        hp.space["units"].describe()


def test_conditional_scope():
    hp = HyperParameters()
    kind = hp.Choice("model", ["mlp", "cnn"])
    with hp.conditional_scope("model", ["mlp"]):
        assert hp.Int("layers", 1, 3) == 1
    with hp.conditional_scope("model", "cnn"):
        assert hp.Int("filters", 8, 64) is None           # inactive: model is "mlp"
    assert kind == "mlp" and "layers" in hp and "filters" not in hp
    with pytest.raises(ValueError, match="'filters' is not active in this trial"):
        hp.get("filters")
    with pytest.raises(KeyError, match="'nope' is not declared"):
        hp.get("nope")
    assert hp.Int("depth", 1, 4, parent_name="model", parent_values=["mlp"]) == 1


@pytest.mark.parametrize("call, message", [
    (lambda hp: hp.Int("a", 5, 1), r"`min_value` \(5\) must not exceed `max_value` \(1\)"),
    (lambda hp: hp.Int("a", 1.5, 3), "`min_value` must be an int"),
    (lambda hp: hp.Int("a", 1, 3, step=0), "`step` must be a positive int"),
    (lambda hp: hp.Float("a", 0.0, 1.0, sampling="log"), "needs a positive `min_value`"),
    (lambda hp: hp.Float("a", 0.1, 1.0, sampling="cubic"), "`sampling` must be one of"),
    (lambda hp: hp.Float("a", 0.1, 1.0, sampling="reverse_log"), "'reverse_log' is not "
                                                                 "supported"),
    (lambda hp: hp.Choice("a", []), "`values` must be a non-empty list"),
    (lambda hp: hp.Choice("a", [1, "x"]), "must all be of one type"),
    (lambda hp: hp.Choice("a", [1, 2], default=3), "`default` 3 is not one of"),
    (lambda hp: hp.Boolean("a", default=1), "`default` must be a bool"),
    (lambda hp: hp.Int("", 1, 2), "non-empty string"),
    (lambda hp: hp.conditional_scope("ghost", [1]).__enter__(), "'ghost' is not a declared"),
])
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call(HyperParameters())
