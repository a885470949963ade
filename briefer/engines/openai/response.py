"""Reading a model's answer: the JSON object inside it, and what survives of a cut-off one."""

from __future__ import annotations

import json
from typing import Any


def parse_json(content: str, *, partial: bool = False) -> tuple[dict[str, Any] | None, str | None]:
    """The answer's JSON object, tolerating code fences and chatter; with ``partial``, the
    complete items of a truncated answer."""
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0] if "```" in text else text
    start = text.find("{")
    if start == -1:
        return None, "the answer contains no JSON object"
    decoder = json.JSONDecoder()
    try:
        value, _ = decoder.raw_decode(text, start)
    except json.JSONDecodeError as error:
        if partial:
            salvaged = salvage(text[start:])
            if salvaged is not None:
                return salvaged, None
        return None, f"invalid JSON ({error.msg} at character {error.pos})"
    if not isinstance(value, dict):
        return None, "the answer is not a JSON object"
    return value, None


def salvage(text: str) -> dict[str, Any] | None:
    """The longest prefix of a cut-off JSON object that ends after a complete value, closed."""
    stack: list[str] = []
    in_string = escaped = False
    best: tuple[int, list[str]] | None = None
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]":
            if not stack:
                break
            stack.pop()
            if stack and stack[-1] == "]":
                best = (index + 1, list(stack))
    if best is None:
        return None
    end, open_ = best
    try:
        value = json.loads(text[:end] + "".join(reversed(open_)))
    except json.JSONDecodeError:
        return None
    if not isinstance(value, dict):
        return None
    value.setdefault("claims", [])
    value.setdefault("framing", [])
    value.setdefault("bluf", "")
    return value
