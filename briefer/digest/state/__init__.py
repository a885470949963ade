"""Digest state in SQLite: items seen, briefings reused, feeds' validators, digests pending and
sent (see ``briefer.digest.state.digests`` for the delivery protocol), and the run lock."""

from __future__ import annotations

from briefer.digest.state.database import default_state_path, state_error
from briefer.digest.state.digests import DigestRecord, Digests
from briefer.digest.state.feeds import Feeds, FeedValidators
from briefer.digest.state.items import OUTSIDE, ItemRecord, Items, OutsideRow
from briefer.digest.state.lock import RunLock, lock_path

__all__ = [
    "OUTSIDE",
    "DigestRecord",
    "FeedValidators",
    "ItemRecord",
    "OutsideRow",
    "RunLock",
    "State",
    "default_state_path",
    "lock_path",
    "state_error",
]


class State(Items, Feeds, Digests):
    """The state database: one connection, every write its own short transaction."""
