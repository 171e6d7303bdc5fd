"""Live reports from local worker processes: a socket on this machine, one connection per trial.

The runner's side (:class:`SocketHub`) listens on ``127.0.0.1`` with a random
key (``multiprocessing.connection``: every connection must prove it holds the
key). A trial connects when it starts, sends its messages, and reads the
runner's prune decisions on the same connection; a worker that dies just
closes its connection.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from multiprocessing.connection import Client, Connection, Listener
from typing import Any

from ._executor import MessageHandler
from ._remote import LinkEnd

__all__ = ["SocketEnd", "SocketHub"]

log = logging.getLogger("tunewidgets")


class SocketHub:
    """Receive trials' messages and answer their reports with prune decisions.

    Parameters
    ----------
    handler : callable
        Called with each message; for a report, returns the decision (or None).
    """

    def __init__(self, handler: MessageHandler) -> None:
        self.authkey = os.urandom(32)
        self._listener = Listener(("127.0.0.1", 0), family="AF_INET", authkey=self.authkey)
        self.address: tuple[str, int] = self._listener.address
        self._handler = handler
        self._closed = False
        self._lock = threading.Lock()
        self._connections: set[Connection] = set()
        self._thread = threading.Thread(
            target=self._accept, name="tunewidgets-reports", daemon=True
        )
        self._thread.start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                connection = self._listener.accept()
            except Exception:  # a peer without the key, or the listener closed
                if self._closed:
                    return
                log.debug("tunewidgets: refused a connection to the report hub", exc_info=True)
                continue
            with self._lock:
                if self._closed:
                    connection.close()
                    return
                self._connections.add(connection)
            threading.Thread(
                target=self._serve, args=(connection,), name="tunewidgets-trial", daemon=True
            ).start()

    def _serve(self, connection: Connection) -> None:
        try:
            while True:
                try:
                    message = connection.recv()
                except Exception:  # EOF, or closed meanwhile by close()
                    return  # the trial ended, its worker died, or the hub closes
                try:
                    decision = self._handler(message)
                except Exception:
                    log.exception("tunewidgets: a trial's message could not be handled")
                    decision = None
                if message[0] == "report" and decision is not None:
                    connection.send((int(message[2]), bool(decision)))
        except Exception:  # the peer went away while we answered
            return
        finally:
            # Whoever takes the connection out of the set closes it, once:
            # close() may be closing it from another thread right now.
            with self._lock:
                mine = connection in self._connections
                self._connections.discard(connection)
            if mine:
                with contextlib.suppress(OSError):
                    connection.close()

    def close(self) -> None:
        """Stop listening and close every connection."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            connections = list(self._connections)
            self._connections.clear()
        # Wake the accepting thread with a bare connection: it fails the key
        # challenge, and the thread sees that the hub is closed. (A keyed client
        # would wait forever for a challenge if the thread had already left.)
        with contextlib.suppress(OSError), socket.create_connection(self.address, timeout=5):
            pass
        self._listener.close()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.close()
        self._thread.join(timeout=5)


class SocketEnd(LinkEnd):
    """A trial's connection to the runner's :class:`SocketHub`.

    Parameters
    ----------
    address : tuple of (str, int)
        Where the hub listens.
    authkey : bytes
        The hub's key.
    """

    def __init__(self, address: tuple[str, int], authkey: bytes) -> None:
        self._connection = Client(address, family="AF_INET", authkey=authkey)

    def send(self, message: tuple[Any, ...]) -> None:
        self._connection.send(message)

    def decision(self, timeout: float) -> tuple[int, bool] | None:
        latest = None
        if self._connection.poll(timeout):
            while True:
                latest = self._connection.recv()
                if not self._connection.poll(0):
                    break
        return latest

    def close(self) -> None:
        self._connection.close()
