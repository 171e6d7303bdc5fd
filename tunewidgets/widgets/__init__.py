"""Jupyter views: the Dashboard, the SpaceBuilder and Controls it is made of, and Race.

Thin views on a Study: they hold no trial data of their own, call the pure
functions of :mod:`tunewidgets.plots`, and update live ``go.FigureWidget``
views from the runner's events.
"""

from ._controls import Controls
from ._dashboard import Dashboard
from ._race import Race, grid_for_budget
from ._results import BestView, ResultsTable, TrialDetail
from ._space_builder import SpaceBuilder, default_parameter

__all__ = [
    "BestView",
    "Controls",
    "Dashboard",
    "Race",
    "ResultsTable",
    "SpaceBuilder",
    "TrialDetail",
    "default_parameter",
    "grid_for_budget",
]
