"""Watch a stored study for trials that other processes finish (what a Dashboard shows)."""

from __future__ import annotations

import inspect
import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any

from ..study import Study, Trial

__all__ = ["StudyWatcher"]

log = logging.getLogger("tunewidgets")


class StudyWatcher:
    """Poll a stored study for trials that other processes finish; call back when some land.

    A search reads the other processes' trials itself before each ask; the
    watcher is for a view that must show them while its own search is idle.

    Parameters
    ----------
    study : Study
        A study kept in a SQLite file (for an in-memory one nothing ever lands).
    callback : callable
        Called with the list of new trials, from the watcher's thread. A bound
        method is held weakly: when its object is gone, the watcher ends.
    interval : float, default=1.0
        Seconds between looks (each costs one query of SQLite's change counter
        when nothing changed).

    Examples
    --------
    >>> import tunewidgets as tw
    >>> from tunewidgets.runner import StudyWatcher
    >>> study = tw.Study(tw.SearchSpace({"x": tw.Float(0.0, 1.0)}))
    >>> watcher = StudyWatcher(study, print, interval=0.5).start()
    >>> watcher.stop()
    """

    def __init__(
        self, study: Study, callback: Callable[[list[Trial]], Any], interval: float = 1.0
    ) -> None:
        self.study = study
        self.interval = float(interval)
        if inspect.ismethod(callback):
            self._callback: Callable[[], Any] = weakref.WeakMethod(callback)
        else:
            self._callback = lambda: callback
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> StudyWatcher:
        """Start watching in a background thread.

        Returns
        -------
        StudyWatcher
            Itself.
        """
        if self._thread is None and self.study.storage_path is not None:
            self._thread = threading.Thread(
                target=self._watch, name="tunewidgets-watcher", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop watching (the thread ends within one interval)."""
        self._stopped.set()

    def _watch(self) -> None:
        while not self._stopped.wait(self.interval):
            callback = self._callback()
            if callback is None:
                return  # the view is gone
            try:
                new = self.study.sync()
                if new:
                    callback(new)
            except Exception:
                log.warning("tunewidgets: watching study %r failed", self.study.name, exc_info=True)
            del callback
