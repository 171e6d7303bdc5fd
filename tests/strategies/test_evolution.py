from __future__ import annotations

import numpy as np
import pytest

import tunewidgets as tw


def test_population_is_the_elite(mixed_space):
    ga = tw.EvolutionarySearch(mixed_space, seed=0, population_size=4)
    scores = []
    for i in range(12):
        params = ga.ask()
        ga.tell(params, float(i % 5))
        scores.append(float(i % 5))
    _, elite = ga.population()
    assert elite.tolist() == sorted(scores, reverse=True)[:4]


def test_evolution_improves_on_its_initial_population():
    space = tw.SearchSpace({f"x{i}": tw.Float(-1.0, 1.0) for i in range(4)})

    def sphere(p):
        return -sum(v**2 for v in p.values())

    gains = []
    for seed in range(3):
        ga = tw.EvolutionarySearch(space, seed=seed, population_size=8)
        for _ in range(80):
            p = ga.ask()
            ga.tell(p, sphere(p))
        _, scores = ga.observations()
        gains.append(scores[8:].max() - scores[:8].max())
    assert np.mean(gains) > 0.2


def test_failed_trials_never_become_parents(mixed_space):
    ga = tw.EvolutionarySearch(mixed_space, seed=0, population_size=3)
    for i in range(9):
        ga.tell(ga.ask(), None if i % 2 else 1.0)
    parents, scores = ga.population()
    assert np.isfinite(scores).all() and len(parents) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"population_size": 1}, "'population_size' parameter of EvolutionarySearch"),
        ({"mutation_rate": 1.5}, "'mutation_rate'"),
        ({"mutation_scale": 0.0}, "'mutation_scale'"),
        ({"crossover_rate": -0.1}, "'crossover_rate'"),
        ({"tournament_size": 0}, "'tournament_size'"),
    ],
)
def test_bad_options(mixed_space, kwargs, message):
    with pytest.raises(ValueError, match=message):
        tw.EvolutionarySearch(mixed_space, **kwargs)
