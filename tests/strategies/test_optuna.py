from __future__ import annotations

import optuna

import tunewidgets as tw


class _Stubborn(optuna.samplers.BaseSampler):
    """Always proposes the lowest value: a sampler that has converged."""

    def infer_relative_search_space(self, study, trial):
        return {}

    def sample_relative(self, study, trial, search_space):
        return {}

    def sample_independent(self, study, trial, param_name, param_distribution):
        return param_distribution.low


def test_a_sampler_stuck_on_tried_configurations_still_gets_fresh_ones():
    space = tw.SearchSpace({"n": tw.Int(0, 9)})
    search = tw.OptunaSearch(space, sampler=_Stubborn())
    asked = []
    for _ in range(4):
        params = search.ask()
        asked.append(params["n"])
        search.tell(params, -params["n"])
    assert len(set(asked)) == 4
    assert search.n_told == 4
