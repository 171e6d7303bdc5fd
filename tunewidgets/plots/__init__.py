"""Plots of a search: pure functions from trials DataFrames to plotly figures.

Each function takes ``study.trials_dataframe()`` (and the space, and where it
applies the strategy's surrogate), computes a small record of what to draw, and
returns a fresh ``plotly.graph_objects.Figure``. None of them imports ipywidgets,
and none sets the figure's size: the view that shows it decides.
"""

from ._convergence import plot_convergence
from ._importance import plot_importance
from ._learning_curves import plot_learning_curves
from ._parallel import plot_parallel_coordinates
from ._parallel_ranges import parallel_ranges_to_space
from ._search_path import plot_search_path
from ._surrogate import plot_surrogate

__all__ = [
    "parallel_ranges_to_space",
    "plot_convergence",
    "plot_importance",
    "plot_learning_curves",
    "plot_parallel_coordinates",
    "plot_search_path",
    "plot_surrogate",
]
