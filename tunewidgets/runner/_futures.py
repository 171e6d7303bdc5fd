"""``LinkedFuture``: the future the runner holds for a trial running elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from typing import Any

__all__ = ["LinkedFuture"]


class LinkedFuture(Future):  # type: ignore[type-arg]
    """A future completed from another one (a loky or Dask future).

    ``cancel()`` succeeds only if the source could be cancelled, that is, if its
    work had not started.

    Parameters
    ----------
    cancel_source : callable
        Cancels the source; returns whether it was cancelled.
    """

    def __init__(self, cancel_source: Callable[[], bool]) -> None:
        super().__init__()
        self._cancel_source = cancel_source
        #: Set while this side cancels: a source that then reports itself
        #: cancelled (from another thread) is not mistaken for a lost one.
        self.cancelling = False

    def cancel(self) -> bool:
        """Cancel the work if it has not started.

        Returns
        -------
        bool
            Whether it was cancelled.
        """
        if self.done():
            return self.cancelled()
        self.cancelling = True
        if self._cancel_source():
            return super().cancel()
        self.cancelling = False
        return False

    def abandon(self) -> None:
        """Mark the future cancelled whatever its source does (its result is then ignored)."""
        self.cancelling = True
        super().cancel()

    def settle(self, result: Any = None, exception: BaseException | None = None) -> None:
        """Complete the future, unless it is already done (cancelled or abandoned).

        Parameters
        ----------
        result : object, optional
            The result, when ``exception`` is None.
        exception : BaseException, optional
            The error to raise from ``result()``.
        """
        try:
            if exception is not None:
                self.set_exception(exception)
            else:
                self.set_result(result)
        except InvalidStateError:
            pass
