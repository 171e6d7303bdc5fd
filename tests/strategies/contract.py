"""The ask/tell contract every strategy must keep.

A test class that needs only a ``make_strategy(space, seed)`` fixture; each
strategy's test module applies it (as optuna's ``pytest_samplers.py`` does).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import tunewidgets as tw


def _objective(params: dict) -> float:
    score = -abs(np.log10(params["C"]) - 1.0) - abs(np.log10(params["gamma"]) + 2.0)
    return score + (params["kernel"] == "rbf") - 0.1 * abs(params["degree"] - 3)


def _run(strategy: tw.Strategy, n: int) -> list[dict]:
    asked = []
    for _ in range(n):
        try:
            params = strategy.ask()
        except tw.SearchComplete:
            break
        asked.append(params)
        strategy.tell(params, _objective(params))
    return asked


class StrategyContract:
    """Subclass and provide a ``make_strategy`` fixture: ``(space, seed) -> Strategy``."""

    n_trials = 15

    def test_asks_are_inside_the_space(self, make_strategy, mixed_space):
        strategy = make_strategy(mixed_space, 0)
        for params in _run(strategy, self.n_trials):
            assert mixed_space.contains(params), params
            assert list(params) == mixed_space.names

    def test_same_seed_same_asks(self, make_strategy, mixed_space):
        first = _run(make_strategy(mixed_space, 3), self.n_trials)
        second = _run(make_strategy(mixed_space, 3), self.n_trials)
        assert first == second

    def test_values_are_plain_python(self, make_strategy, mixed_space):
        params = make_strategy(mixed_space, 0).ask()
        assert type(params["C"]) is float
        assert type(params["degree"]) is int
        assert type(params["kernel"]) is str

    def test_failed_trials_are_accepted(self, make_strategy, mixed_space):
        strategy = make_strategy(mixed_space, 0)
        for i in range(self.n_trials):
            params = strategy.ask()
            strategy.tell(params, [math.nan, None, float("inf")][i % 3] if i % 2 else 1.0 * i)
        assert strategy.n_told == self.n_trials
        assert mixed_space.contains(strategy.ask())

    def test_all_failures_do_not_crash(self, make_strategy, mixed_space):
        strategy = make_strategy(mixed_space, 0)
        for _ in range(8):
            strategy.tell(strategy.ask(), None)
        assert strategy.best is None
        assert mixed_space.contains(strategy.ask())

    def test_tell_of_points_not_asked(self, make_strategy, mixed_space):
        strategy = make_strategy(mixed_space, 1)
        rng = np.random.default_rng(0)
        for params in mixed_space.sample(rng, 12):
            strategy.tell(params, _objective(params))
        assert strategy.n_told == 12
        assert strategy.pending == []
        for params in _run(strategy, 5):
            assert mixed_space.contains(params)

    def test_duplicate_tells_do_not_crash(self, make_strategy, mixed_space):
        strategy = make_strategy(mixed_space, 0)
        params = mixed_space.sample(0)
        for value in [0.1, 0.2, 0.1, None, 0.3, 0.3]:
            strategy.tell(params, value)
        assert mixed_space.contains(strategy.ask())

    def test_parallel_asks_are_pending_then_told(self, make_strategy, mixed_space):
        strategy = make_strategy(mixed_space, 0)
        _run(strategy, 6)
        batch = [strategy.ask() for _ in range(4)]
        assert len(strategy.pending) == 4
        for params in batch:
            strategy.tell(params, _objective(params))
        assert strategy.pending == []

    def test_tell_outside_the_space_names_the_parameter(self, make_strategy, mixed_space):
        strategy = make_strategy(mixed_space, 0)
        params = dict(mixed_space.sample(0), degree=9)
        with pytest.raises(ValueError, match="'degree'"):
            strategy.tell(params, 1.0)
        with pytest.raises(ValueError, match="Unknown parameter 'colour'"):
            strategy.tell(dict(mixed_space.sample(0), colour="red"), 1.0)
        with pytest.raises(ValueError, match="missing"):
            strategy.tell({"C": 1.0}, 1.0)

    def test_score_must_be_a_number(self, make_strategy, mixed_space):
        strategy = make_strategy(mixed_space, 0)
        with pytest.raises(ValueError, match="score must be a real number"):
            strategy.tell(strategy.ask(), "good")

    def test_best_tracks_the_maximum(self, make_strategy, mixed_space):
        strategy = make_strategy(mixed_space, 0)
        asked = _run(strategy, self.n_trials)
        best_params, best_score = strategy.best
        assert best_score == max(_objective(p) for p in asked)
        assert best_params in asked

    def test_finite_space_completes(self, make_strategy, small_discrete_space):
        strategy = make_strategy(small_discrete_space, 0)
        seen = []
        with pytest.raises(tw.SearchComplete):
            for _ in range(100):
                params = strategy.ask()
                seen.append(params)
                strategy.tell(params, float(params["n"]))
        assert len(seen) >= 6
        assert all(small_discrete_space.contains(p) for p in seen)
