"""Apply the ask/tell contract to every strategy."""

from __future__ import annotations

import pytest

import tunewidgets as tw

from .contract import StrategyContract

FACTORIES = {
    "grid": lambda space, seed: tw.GridSearch(space, resolution=3, shuffle=True, seed=seed),
    "random": lambda space, seed: tw.RandomSearch(space, seed=seed),
    "bayes-ei": lambda space, seed: tw.BayesianSearch(space, seed=seed),
    "bayes-pi": lambda space, seed: tw.BayesianSearch(space, seed=seed, acquisition="pi"),
    "bayes-ucb": lambda space, seed: tw.BayesianSearch(space, seed=seed, acquisition="ucb"),
    "bayes-hedge": lambda space, seed: tw.BayesianSearch(space, seed=seed, acquisition="hedge"),
    "evolution": lambda space, seed: tw.EvolutionarySearch(space, seed=seed, population_size=5),
    "tpe": lambda space, seed: tw.OptunaSearch(space, seed=seed),
}


@pytest.fixture(params=sorted(FACTORIES))
def make_strategy(request):
    return FACTORIES[request.param]


class TestEveryStrategy(StrategyContract):
    pass


@pytest.mark.parametrize("name", ["grid", "random", "bayes", "evolution", "tpe"])
def test_make_strategy_by_name(name, mixed_space):
    strategy = tw.make_strategy(name, mixed_space, seed=0)
    assert strategy.name == name
    assert mixed_space.contains(strategy.ask())


def test_make_strategy_aliases_and_options(mixed_space):
    assert isinstance(tw.make_strategy("bayesian", mixed_space), tw.BayesianSearch)
    assert tw.make_strategy("grid", mixed_space, resolution=2).resolution == 2


def test_unknown_strategy_lists_the_allowed_ones(mixed_space):
    with pytest.raises(ValueError, match=r"Unknown strategy 'hyperband'. Choose one of \['grid'"):
        tw.make_strategy("hyperband", mixed_space)


def test_ready_made_strategy_must_match_the_space(mixed_space):
    other = tw.SearchSpace({"x": tw.Float(0, 1)})
    with pytest.raises(ValueError, match="different search space"):
        tw.make_strategy(tw.RandomSearch(other), mixed_space)
    with pytest.raises(ValueError, match="can only be given with a strategy name"):
        tw.make_strategy(tw.RandomSearch(mixed_space), mixed_space, seed=None, acquisition="ei")


@pytest.mark.parametrize("name", ["grid", "random", "bayes", "evolution"])
def test_a_space_without_parameters_has_one_configuration(name):
    # scikit-learn's GridSearchCV(estimator, {}) tries the estimator as it is
    strategy = tw.make_strategy(name, tw.SearchSpace({}), seed=0)
    assert strategy.ask() == {}
    strategy.tell({}, 1.0)
    with pytest.raises(tw.SearchComplete):
        strategy.ask()


def test_strategy_needs_a_search_space():
    with pytest.raises(ValueError, match="must be a tw.SearchSpace"):
        tw.RandomSearch({"x": tw.Float(0, 1)})
    with pytest.raises(ValueError, match="'seed' parameter of RandomSearch must be an int"):
        tw.RandomSearch(tw.SearchSpace({"x": tw.Float(0, 1)}), seed=1.5)
