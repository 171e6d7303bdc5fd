"""Update live ``go.FigureWidget`` views in place from freshly drawn figures.

Plots are pure functions that return a new ``go.Figure``; views keep one
``FigureWidget`` each and copy a new figure into it. When the traces keep their
number and types (the common case while a search runs) the copy is one batched
update message, so the plot does not flicker and keeps the user's zoom.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

__all__ = ["new_figure_widget", "sync_figure"]

_KEEP = {"type", "uid"}


def new_figure_widget(figure: go.Figure | None = None, *, height: int = 420) -> go.FigureWidget:
    """A FigureWidget for a view: sized by the view, keeping zoom across updates.

    Parameters
    ----------
    figure : go.Figure, optional
        Initial content.
    height : int, default=420
        Height in pixels (width follows the container).

    Returns
    -------
    go.FigureWidget
    """
    widget = go.FigureWidget(figure)
    widget.update_layout(height=height, autosize=True, uirevision="tunewidgets")
    return widget


def _patch(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    patch: dict[str, Any] = {k: None for k in old if k not in new and k not in _KEEP}
    patch.update({k: v for k, v in new.items() if k not in _KEEP})
    return patch


def sync_figure(widget: go.FigureWidget, figure: go.Figure) -> None:
    """Make ``widget`` show ``figure``, in as few messages as possible.

    Parameters
    ----------
    widget : go.FigureWidget
        The live view.
    figure : go.Figure
        What it should show now. Its height is ignored (the view owns its size).
    """
    layout = figure.layout.to_plotly_json()
    for key in ("height", "width", "autosize"):
        layout.pop(key, None)
    layout["uirevision"] = "tunewidgets"
    same_shape = len(widget.data) == len(figure.data) and all(
        a.type == b.type for a, b in zip(widget.data, figure.data, strict=True)
    )
    if not same_shape:
        widget.data = ()
        if figure.data:
            widget.add_traces(list(figure.data))
    with widget.batch_update():
        if same_shape:
            for old, new in zip(widget.data, figure.data, strict=True):
                old.update(_patch(old.to_plotly_json(), new.to_plotly_json()), overwrite=True)
        current = widget.layout.to_plotly_json()
        for key in ("height", "width", "autosize"):
            current.pop(key, None)
        widget.layout.update(_patch(current, layout), overwrite=True)
