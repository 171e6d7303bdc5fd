"""Update live ``go.FigureWidget`` views in place from freshly drawn figures.

Plots are pure functions that return a new ``go.Figure``; views keep one
``FigureWidget`` each and copy a new figure into it. When the traces keep their
number and types (the common case while a search runs) the copy is one batched
update message, so the plot does not flicker and keeps the user's zoom.

plotly 7's ``FigureWidget`` is an anywidget whose state carries its whole
front-end bundle (plotly.js and the widget, about 5 MB) in ``_esm``. A notebook
saved with its widget state keeps one copy per figure: a Dashboard of five plots
adds 25 MB to the file. :class:`LiveFigure` is the same widget with a loader of
a few hundred bytes as its ``_esm``: the bundle is held once per kernel by a
:class:`PlotlyBundle` model that every figure refers to, and the loader imports
it from there, once per page.
"""

from __future__ import annotations

import functools
from copy import deepcopy
from pathlib import Path
from typing import Any

import ipywidgets
import plotly
import plotly.graph_objects as go
import traitlets

__all__ = ["PlotlyBundle", "live_figure_class", "new_figure_widget", "sync_figure"]

_KEEP = {"type", "uid"}

#: The loader: fetch the bundle's text from the model ``_bundle`` names, import it
#: once per page and bundle model, and hand each figure plotly's own widget.
_LOADER_ESM = """
const CACHE = Symbol.for("tunewidgets.plotly-bundle");
function bundle(model) {
  const id = String(model.get("_bundle")).replace(/^IPY_MODEL_/, "");
  const cache = (globalThis[CACHE] ??= new Map());
  if (!cache.has(id)) {
    cache.set(id, (async () => {
      const holder = await model.widget_manager.get_model(id);
      const blob = new Blob([holder.get("code")], { type: "text/javascript" });
      const url = URL.createObjectURL(blob);
      try {
        return (await import(/* webpackIgnore: true */ url)).default;
      } finally {
        URL.revokeObjectURL(url);
      }
    })());
  }
  return cache.get(id);
}
export default () => {
  let ready = null;
  return {
    initialize(context) {
      ready = bundle(context.model).then(async (factory) => {
        const widget = typeof factory === "function" ? await factory() : factory;
        await widget.initialize?.(context);
        return widget;
      });
      return ready;
    },
    async render(context) {
      const widget = await ready;
      return widget.render?.(context);
    },
  };
};
"""


class PlotlyBundle(ipywidgets.Widget):  # type: ignore[misc]
    """The front-end code of plotly's ``FigureWidget``, held once for every figure.

    A model with no view: its one synchronized value is the text of plotly's
    widget bundle. Use :func:`plotly_bundle` to get the kernel's instance.
    """

    code = traitlets.Unicode("").tag(sync=True)


_BUNDLE: PlotlyBundle | None = None


def plotly_bundle() -> PlotlyBundle:
    """The kernel's :class:`PlotlyBundle`, made again if it was closed.

    Returns
    -------
    PlotlyBundle
    """
    global _BUNDLE
    if _BUNDLE is None or _BUNDLE.comm is None:
        path = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
        _BUNDLE = PlotlyBundle(code=path.read_text(encoding="utf-8"))
    return _BUNDLE


@functools.cache
def live_figure_class() -> type[go.FigureWidget]:
    """The :class:`LiveFigure` class, defined on first use.

    Defining it touches ``go.FigureWidget``, whose import changes how Python prints
    warnings (``plotly.tools`` replaces ``warnings.formatwarning``, in plotly 6): so
    importing :mod:`tunewidgets.widgets` does not, and only making a live figure
    does, as with any plotly FigureWidget.

    Returns
    -------
    type
    """

    class LiveFigure(go.FigureWidget):  # type: ignore[misc]
        """plotly's ``FigureWidget`` with its front-end code shared, not copied.

        Behaves as ``go.FigureWidget`` in every way; only its ``_esm`` differs (a
        loader, see the module's docstring), so that a saved notebook holds plotly's
        bundle once, not once per figure.

        Parameters
        ----------
        *args, **kwargs
            As for ``go.FigureWidget``.
        """

        _esm = _LOADER_ESM
        _bundle = traitlets.Instance(PlotlyBundle).tag(sync=True, **ipywidgets.widget_serialization)

        @traitlets.default("_bundle")
        def _default_bundle(self) -> PlotlyBundle:
            return plotly_bundle()

        def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
            """The widget's state, with the figure as it is now.

            plotly sends changes to a shown figure as messages and keeps its synced
            ``_widget_data`` and ``_widget_layout`` as they were when it was shown; a
            page reloaded while the kernel runs asks for the state and would draw that
            (an empty plot, for a view shown before its first trial). Here they are
            brought up to date, without a message, whenever the whole state is asked for.

            Parameters
            ----------
            key : str or iterable of str, optional
                As for ``ipywidgets.Widget.get_state``.
            drop_defaults : bool, default=False
                As for ``ipywidgets.Widget.get_state``.

            Returns
            -------
            dict
            """
            # only for the whole state (what a reloaded page asks for): brought up to date
            # for a single key, a later assignment of the same value by plotly would not
            # be sent at all
            if key is None and getattr(self, "_layout_obj", None) is not None:
                self._trait_values["_widget_layout"] = deepcopy(self._layout_obj._props)
                self._trait_values["_widget_data"] = deepcopy(self._data)
            state: dict[str, Any] = super().get_state(key=key, drop_defaults=drop_defaults)
            return state

    return LiveFigure


def __getattr__(name: str) -> Any:
    if name == "LiveFigure":
        return live_figure_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    LiveFigure
        A ``go.FigureWidget`` that shares plotly's front-end code.
    """
    widget = live_figure_class()(figure)
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
