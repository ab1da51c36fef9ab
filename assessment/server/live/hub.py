"""Server-Sent Events for live sessions: one snapshot per change, to every open stream.

After a change is committed, `changed` asks for a new snapshot; changes that come in the
same turn of the event loop share one (a burst of 40 votes is one snapshot, not 40). Each
stream sends the newest snapshot whenever its revision is newer than the last one it sent,
so a slow client skips states instead of queueing them. The event id is the session's
revision: a browser that reconnects (`Last-Event-ID`) or reloads gets the current state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from typing import Literal

from assessment.instrument import Questionnaire
from assessment.server.live import sessions
from assessment.server.live.snapshot import Snapshot, build

log = logging.getLogger("ketenscan.collect")

HEARTBEAT_SECONDS = 15.0  # a comment line keeps proxies from closing a quiet stream
RETRY_MS = 1000  # how soon a browser reconnects

View = Literal["presenter", "participant"]


class Channel:
    """The newest snapshot of one session, and a way to wait for the next one.

    The participants' view changes far less often than the presenter's (before the
    reveal a vote changes only the presenter's distribution), so their streams wake only
    when their view changed: 200 phones do not get 200 copies of every vote.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot  # the newest: the presenter's
        self.shown = snapshot  # the newest whose participants' view differs from before
        self.listeners = 0
        self._events: dict[View, asyncio.Event] = {
            "presenter": asyncio.Event(),
            "participant": asyncio.Event(),
        }

    def publish(self, snapshot: Snapshot) -> None:
        """Replace the snapshot (when newer) and wake the streams that see a change."""
        if snapshot.revision < self.snapshot.revision:
            return
        self.snapshot = snapshot
        self._wake("presenter")
        if snapshot.participant_key != self.shown.participant_key:
            self.shown = snapshot
            self._wake("participant")

    def latest(self, view: View) -> tuple[int, bytes]:
        """The revision and the event to send of a view."""
        if view == "presenter":
            return self.snapshot.revision, self.snapshot.presenter
        return self.shown.revision, self.shown.participant

    def _wake(self, view: View) -> None:
        waking, self._events[view] = self._events[view], asyncio.Event()
        waking.set()

    def wake(self) -> None:
        """Wake every waiting stream."""
        self._wake("presenter")
        self._wake("participant")

    async def wait(self, view: View, timeout: float) -> None:
        """Until the view's next change (or the timeout)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._events[view].wait(), timeout)


class Hub:
    """Every session's channel, built from the read connection on the event loop."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        questionnaire: Questionnaire,
        names: Callable[[str], str],
    ) -> None:
        self._conn = conn
        self._questionnaire = questionnaire
        self._names = names
        self._channels: dict[int, Channel] = {}
        self._pending: set[int] = set()
        self.closed = False
        self.snapshots = 0

    def _build(self, session: sessions.Session) -> Snapshot:
        self.snapshots += 1
        return build(self._conn, session, self._questionnaire, self._names(session.municipality))

    def channel(self, session: sessions.Session) -> Channel:
        """The channel of a session (made with its current snapshot on first use)."""
        found = self._channels.get(session.id)
        if found is None:
            found = self._channels[session.id] = Channel(self._build(session))
        return found

    def current(self, session: sessions.Session) -> Snapshot:
        """The newest snapshot of a session."""
        return self.channel(session).snapshot

    def changed(self, session_id: int) -> None:
        """A change was committed: build one new snapshot soon, for all changes till then."""
        if session_id in self._pending:
            return
        self._pending.add(session_id)
        asyncio.get_running_loop().call_soon(self._refresh, session_id)

    def _refresh(self, session_id: int) -> None:
        self._pending.discard(session_id)
        session = sessions.session_by_id(self._conn, session_id)
        if session is None:
            return
        try:
            snapshot = self._build(session)
        except Exception:  # a stream must never take the server down
            log.exception("live: toestand van sessie %s niet opgebouwd", session.code)
            return
        channel = self._channels.get(session_id)
        if channel is None:
            self._channels[session_id] = Channel(snapshot)
        else:
            channel.publish(snapshot)

    def close(self) -> None:
        """End every stream (the server stops)."""
        self.closed = True
        for channel in self._channels.values():
            channel.wake()

    async def stream(
        self, session: sessions.Session, view: View, last_id: str | None
    ) -> AsyncIterator[bytes]:
        """The SSE stream of a session for the presenter or the participants."""
        channel = self.channel(session)
        channel.listeners += 1
        try:
            sent = int(last_id) if last_id and last_id.isdigit() else -1
            yield f"retry: {RETRY_MS}\n\n".encode()
            while not self.closed:
                revision, data = channel.latest(view)
                if revision != sent:
                    sent = revision
                    yield data
                    continue
                await channel.wait(view, HEARTBEAT_SECONDS)
                if channel.latest(view)[0] == sent and not self.closed:
                    yield b": ping\n\n"
        finally:
            channel.listeners -= 1
