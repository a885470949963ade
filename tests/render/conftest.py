"""Render tests see the shipped templates only, whatever the environment says."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFER_TEMPLATES", raising=False)
