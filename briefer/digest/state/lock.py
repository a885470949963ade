"""The run lock: one ``briefer digest`` at a time per state database."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from briefer.errors import BrieferError


def lock_path(state_path: Path) -> Path:
    return state_path.with_name(state_path.name + ".lock")


class RunLock:
    """An exclusive, non-blocking lock file beside the state file (``filelock``: ``flock`` on
    Unix, ``msvcrt`` on Windows); the OS drops it if the process dies, so a killed run never
    leaves a stale lock behind."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(path, timeout=0)

    def acquire(self) -> bool:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except Timeout:  # before OSError: Timeout is a TimeoutError
            return False
        except OSError as exc:
            raise BrieferError(
                f"cannot create the lock file {self.path} ({exc.strerror or exc}); make its "
                "folder writable, or use --state in a writable folder"
            ) from None
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> RunLock:
        if not self.acquire():
            raise BrieferError(
                f"another 'briefer digest' is running (lock {self.path}); "
                "wait for it to finish or use another --state",
                exit_code=75,
            )
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
