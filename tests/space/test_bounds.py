"""Bounds the unit encoding cannot hold are refused at construction; the largest allowed work."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tunewidgets as tw
from tunewidgets.space._params import MAX_INT, MAX_LOG_INT


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: tw.Int(0, 2**70),
            r"'high' must be in \[-4503599627370496, 4503599627370496\] "
            r"\(\+-2\*\*52\).*Got high=1180591620717411303424",
        ),
        (lambda: tw.Int(-(2**53), 0), r"'low' must be in .*Got low=-9007199254740992"),
        (
            lambda: tw.Int(1, 2**45, log=True),
            r"'high' must be at most 17592186044416 \(2\*\*44\) "
            "with log=True",
        ),
        (
            lambda: tw.Float(-1e308, 1e308),
            r"width high - low must be a finite float .*"
            r"Got low=-1e\+308, high=1e\+308",
        ),
        (lambda: tw.Float(-1.7e308, 1.7e308), "whose width overflows"),
    ],
    ids=["int-2**70", "int-below", "int-log", "float-wide", "float-asymmetric"],
)
def test_bounds_the_encoding_cannot_hold_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_the_space_builder_shows_the_same_message_inline():
    from tunewidgets.widgets import SpaceBuilder

    builder = SpaceBuilder(tw.SearchSpace({"n": tw.Int(1, 5)}))
    row = builder.rows["n"]
    row.high.value = str(2**70)
    assert not builder.valid
    assert "2**52" in row.error.value


EXTREMES = tw.SearchSpace(
    {
        "i": tw.Int(-MAX_INT, MAX_INT),
        "j": tw.Int(1, MAX_LOG_INT, log=True),
        "f": tw.Float(-8e307, 8e307),
        "g": tw.Float(1e-300, 1e308, log=True),
        "tiny": tw.Float(0.0, 5e-324),
    }
)


@pytest.mark.parametrize("strategy", ["grid", "random", "bayes", "evolution", "tpe"])
def test_every_strategy_works_at_the_largest_bounds_allowed(strategy):
    chosen = tw.make_strategy(strategy, EXTREMES, seed=0)
    for i in range(8):
        params = chosen.ask()
        assert EXTREMES.contains(params), params
        assert all(math.isfinite(v) for v in params.values())
        chosen.tell(params, float(i % 3))


def test_every_integer_keeps_its_place_at_the_limits():
    rng = np.random.default_rng(0)
    for param in (tw.Int(-MAX_INT, MAX_INT), tw.Int(1, MAX_LOG_INT, log=True)):
        values = [param.low, param.low + 1, param.high - 1, param.high]
        if param.log:
            draws = np.exp(rng.uniform(0, math.log(param.high), 2000))
        else:
            draws = rng.integers(param.low, param.high, 2000, dtype=np.int64)
        values += [int(v) for v in draws]
        assert param.decode(param.encode(values)) == values
