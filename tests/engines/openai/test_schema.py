"""The response schema: strict, as OpenAI's structured output requires."""

from __future__ import annotations

from typing import Any

import pytest
from openai.lib._pydantic import to_strict_json_schema

from briefer.engines.openai.schema import LLMBriefing, LLMRepair


def _walk(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


@pytest.mark.parametrize("model", [LLMBriefing, LLMRepair])
def test_response_schema_is_strict(model: type) -> None:
    schema = to_strict_json_schema(model)
    for node in _walk(schema):
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert set(node["required"]) == set(node["properties"])
        assert "default" not in node
