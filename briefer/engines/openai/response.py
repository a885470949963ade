"""Reading a model's answer: the JSON object inside it, and what survives of a cut-off one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, get_origin

from pydantic import BaseModel, ValidationError


@dataclass
class Outcome:
    """One model answer, parsed as far as it goes."""

    data: dict[str, Any] | None
    content: str
    error: str | None = None
    truncated: bool = False
    input_tokens: int = 0
    output_tokens: int = 0


def read_completion(body: dict[str, Any], *, truncated: bool = False) -> Outcome:
    """The outcome of a chat-completion body: its first choice's content, parsed, and usage."""
    choice = (body.get("choices") or [{}])[0]
    content = (choice.get("message") or {}).get("content") or ""
    usage = body.get("usage") or {}
    data, error = parse_json(content, partial=truncated)
    return Outcome(
        data=data,
        content=content,
        error=error,
        truncated=truncated,
        input_tokens=int(usage.get("prompt_tokens") or 0),
        output_tokens=int(usage.get("completion_tokens") or 0),
    )


def check_shape(outcome: Outcome, error: ValidationError, schema: type[BaseModel]) -> Outcome:
    """Keep an answer whose top level is right (items are checked one by one later): every
    list and object field of ``schema`` is a list or an object in the answer."""
    data = outcome.data or {}
    for name, info in schema.model_fields.items():
        expected = _container(info.annotation)
        if expected is not None and not isinstance(data.get(name), expected):
            outcome.data = None
            outcome.error = validation_summary(error)
            break
    return outcome


def _container(annotation: Any) -> type | None:
    if get_origin(annotation) is list:
        return list
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | dict):
        return dict
    return None


def items(data: dict[str, Any], key: str) -> list[Any]:
    """The answer's list under ``key``, or none when it is missing or not a list."""
    value = data.get(key)
    return value if isinstance(value, list) else []


def validation_summary(error: ValidationError) -> str:
    """The first three problems, for flags and for the repair prompt."""
    problems = []
    for problem in error.errors()[:3]:
        where = ".".join(str(p) for p in problem["loc"]) or "answer"
        problems.append(f"{where}: {problem['msg']}")
    more = len(error.errors()) - 3
    return "; ".join(problems) + (f"; and {more} more" if more > 0 else "")


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
    """The longest prefix of a cut-off JSON object that ends after a complete array item,
    closed.

    Hand-written rather than ``pydantic_core.from_json(allow_partial=True)``: that keeps the
    half-written last item (``{"para": 4}``), which then fails validation and costs a repair
    call, and it turns ``{"bluf": "cut`` into ``{}`` instead of an unusable answer.
    """
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
