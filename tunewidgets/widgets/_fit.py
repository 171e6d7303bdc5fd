"""Keep live plotly figures as wide as their panel, whatever happens to the page.

plotly's ``FigureWidget`` takes its width when it is first drawn and does not
follow its container afterwards: open JupyterLab's side bar, show a tab for the
first time, let a layout wrap, and the figure keeps its old width and is cut
(at a laptop's width, the score axis of the parallel coordinates disappears).

:class:`FitPanels` is an invisible widget placed in a view. In the browser, a
``ResizeObserver`` measures the panels that hold figures (elements with the
CSS class ``tw-fit-panel``) and reports the width to the kernel; there the
figures are given that width. The CSS in :data:`FIT_CSS` lets the flex
containers around a figure shrink below the figure's current width, so the
panel's width is the layout's, not the figure's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import anywidget
import traitlets

__all__ = ["FIT_CSS", "FitPanels"]

#: Flex items default to ``min-width: auto`` and would keep the width of the figure
#: they hold; inside a view that fits its figures they may shrink.
FIT_CSS = """
.tw-fit-root .tw-fit-panel,
.tw-fit-root .widget-tab,
.tw-fit-root .widget-tab-contents,
.tw-fit-root .widget-vbox,
.tw-fit-root .widget-hbox,
.tw-fit-root .widget-box {min-width: 0;}
.tw-fit-root .tw-fit-panel {overflow: hidden;}
"""

#: Narrower than this, a figure is not made any narrower (it would be unreadable).
MIN_WIDTH = 280

_ESM = """
function render({ model, el }) {
  el.style.display = "none";
  let root = null;
  let timer = 0;
  let scan = 0;
  const widths = new Map();
  const report = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const width = Math.max(0, ...widths.values());
      if (width > 0 && Math.abs(width - model.get("width")) >= 2) {
        model.set("width", width);
        model.save_changes();
      }
    }, 100);
  };
  const resized = new ResizeObserver((entries) => {
    for (const entry of entries) {
      widths.set(entry.target, Math.floor(entry.contentRect.width));
    }
    report();
  });
  const watch = () => {
    for (const node of root.querySelectorAll(".tw-fit-panel")) resized.observe(node);
  };
  const added = new MutationObserver(() => {
    cancelAnimationFrame(scan);
    scan = requestAnimationFrame(watch);
  });
  let tries = 0;
  const attach = () => {
    root = el.closest(".tw-fit-root");
    if (root === null) {
      if (tries++ < 50) timer = setTimeout(attach, 200);
      return;
    }
    watch();
    added.observe(root, { childList: true, subtree: true });
  };
  attach();
  return () => {
    clearTimeout(timer);
    cancelAnimationFrame(scan);
    resized.disconnect();
    added.disconnect();
  };
}
export default { render };
"""


class FitPanels(anywidget.AnyWidget):
    """An invisible widget that keeps a view's figures as wide as their panels.

    Put it inside a container with the CSS class ``tw-fit-root`` (and
    :data:`FIT_CSS` on the page), and give the boxes that hold the figures the
    class ``tw-fit-panel``. When the browser reports a new panel width, every
    figure returned by ``figures`` is given that width.

    Parameters
    ----------
    figures : callable
        Returns the ``go.FigureWidget`` objects to fit (read at each change, so
        views added later are included).
    lock : threading.RLock, optional
        Held while the figures are changed: the view's one lock for updates.

    Attributes
    ----------
    width : int
        The width of the widest panel, in pixels, as last measured (0 before).
    """

    _esm = _ESM
    width = traitlets.Int(0).tag(sync=True)

    def __init__(
        self, figures: Callable[[], Iterable[Any]], lock: threading.RLock | None = None
    ) -> None:
        super().__init__()
        self._figures = figures
        self._lock = lock if lock is not None else threading.RLock()
        self.observe(self._fit, "width")

    def _fit(self, change: dict[str, Any]) -> None:
        width = max(int(change["new"]), MIN_WIDTH)
        with self._lock:
            for figure in self._figures():
                if figure.layout.width != width:
                    figure.layout.width = width
