"""A static copy of a view's last state, for wherever its widgets cannot run.

A widget lives in the kernel: a notebook shared as a file, exported to HTML or
shown on GitHub has no kernel, and an exported notebook draws saved widgets only
with a script from a CDN. So a Dashboard or a Race also writes, as an ordinary
cell output below the live view, a static copy of what it shows (its status, its
figures as plotly HTML, its table), and rewrites that output each time the view
comes to rest (a search finished, paused or stopped; a step; a wait), and every
few seconds while trials run (:data:`STATIC_INTERVAL`), so that a notebook saved
mid-search shows a recent state.

Where the live view is drawn, the copy is hidden: the view's own stylesheet
(:data:`STATIC_CSS`) hides the output that holds it, and that stylesheet exists
only where the widget was drawn. Where widgets do not run, nothing hides it.

The copy's figures need plotly.js on the page once, not once per figure: the
first copy of a kernel's session puts it there as plotly's own ``notebook``
renderer does (unless that renderer already has).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["STATIC_CSS", "STATIC_INTERVAL", "StaticCopy", "figure_html"]

#: Seconds between two rewrites of a static copy while a search runs, at least (at
#: rest it is rewritten at once): a notebook saved mid-search shows a recent state.
STATIC_INTERVAL = 5.0

#: Hides the output that holds a static copy wherever the live view's stylesheet
#: is on the page (JupyterLab, Notebook 7 and VS Code draw widgets).
STATIC_CSS = """
.jp-OutputArea-child:has(.tw-static-copy),
.output_area:has(.tw-static-copy),
.tw-static-copy {display: none !important;}
"""

#: plotly.js is on the page (put there by this kernel's session).
_PLOTLYJS_SHOWN = False


def _ensure_plotlyjs() -> None:
    """Put plotly.js on the page once per kernel, as plotly's ``notebook`` renderer does."""
    global _PLOTLYJS_SHOWN
    if _PLOTLYJS_SHOWN:
        return
    notebook = pio.renderers["notebook"]
    # plotly activates a default renderer at the first figure shown: if the user's
    # default is "notebook", it has put plotly.js there already, or will at its
    # first figure unless we take its turn (so that the page gets it once)
    pending = getattr(pio.renderers, "_to_activate", None)
    default = str(pio.renderers.default or "").split("+")
    if "notebook" in default and isinstance(pending, list):
        if notebook not in pending:
            _PLOTLYJS_SHOWN = True
            return
        pending.remove(notebook)
    notebook.activate()
    _PLOTLYJS_SHOWN = True


def figure_html(figure: go.Figure, *, height: int = 420) -> str:
    """A figure as static HTML that draws with the plotly.js already on the page.

    Parameters
    ----------
    figure : go.Figure
        The figure.
    height : int, default=420
        Height in pixels; the width follows the page.

    Returns
    -------
    str
    """
    return pio.to_html(
        figure,
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        default_width="100%",
        default_height=height,
        config={"displayModeBar": False, "responsive": True},
        validate=False,
    )


class StaticCopy:
    """One cell output that holds a static copy of a view, rewritten as the view changes.

    Parameters
    ----------
    title : str
        What the copy is of, shown above it ("Dashboard", "Race").
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self.html = ""
        self._handle = None

    @property
    def shown(self) -> bool:
        """Whether the copy has an output to write to."""
        return self._handle is not None

    def show_live(self, widget: Any) -> None:
        """Display the live view, saying in plain text what it is (call on the main thread).

        Where widgets do not run, a viewer falls back to the plain text: a line that
        names the view, not the ``VBox(children=...)`` repr of its layout.

        Parameters
        ----------
        widget : ipywidgets.Widget
            The view's outer widget.
        """
        from IPython.display import display

        bundle = dict(widget._repr_mimebundle_())
        bundle["text/plain"] = f"<live tunewidgets {self.title}: runs with the notebook's kernel>"
        display(bundle, raw=True)

    def show(self) -> None:
        """Display the copy's output, below the live view (call on the main thread)."""
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:  # pragma: no cover - IPython comes with ipywidgets
            return
        if get_ipython() is None:
            return
        _ensure_plotlyjs()
        if self._handle is None:
            self._handle = display(self._bundle(), raw=True, display_id=True)
        else:  # the same view shown again: one more output with the same id
            display(self._bundle(), raw=True, display_id=self._handle.display_id)

    def update(self, parts: Sequence[str | go.Figure]) -> None:
        """Rewrite the copy from HTML fragments and figures, in order.

        Does nothing until :meth:`show` has run, or when nothing changed.

        Parameters
        ----------
        parts : sequence of str or go.Figure
            HTML fragments (already escaped) and figures.
        """
        html = "".join(
            figure_html(part, height=int(part.layout.height or 420))
            if isinstance(part, go.Figure)
            else part
            for part in parts
        )
        if html == self.html:
            return
        self.html = html
        if self._handle is not None:
            self._handle.update(self._bundle(), raw=True)

    def _bundle(self) -> dict[str, str]:
        note = (
            f"<p style='color:#555;font-size:90%'>A static copy of the {escape(self.title)}'s "
            "last state: the live view shows here when the notebook runs.</p>"
        )
        body = self.html or "<p>Nothing has run yet.</p>"
        return {
            "text/html": f"<div class='tw-static-copy'>{note}{body}</div>",
            "text/plain": f"<static copy of the {self.title}>",
        }
