"""The response a model returns for one article (or chunk): the structured-output schema.

Models cite by paragraph number and copy only short strings; grounding finds the offsets. Every
field is required and has no default, so the strict ``json_schema`` the SDK derives from these
models is accepted by OpenAI (``additionalProperties: false``, all properties required).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from briefer.contract import Device, QuoteStyle, SourceKind

# Bump when a field below changes: it is part of the cache key and of the prompts' schema text.
LLM_SCHEMA_VERSION = "1"
# "first" and "last" are at most 8 words: 80 characters leaves room for long words.
MAX_ENDS_CHARS = 80


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LLMClaim(_Strict):
    """One attributed claim, cited by paragraph number."""

    para: int = Field(description="number of the paragraph [P#] that holds the claim's content")
    source: str = Field(
        description="the source phrase exactly as written, e.g. 'the UN report'; '' if none"
    )
    kind: SourceKind
    cue: str = Field(description="the attribution words exactly as written, e.g. 'said'")
    # maxLength: a grammar-enforcing server (llama.cpp) cannot copy a whole paragraph here.
    first: str = Field(
        max_length=MAX_ENDS_CHARS,
        description="the attributed content's first words (at most 8), exactly as written; "
        "the whole content if it is short",
    )
    last: str = Field(
        max_length=MAX_ENDS_CHARS,
        description="the content's last words (at most 8), exactly as written; '' if 'first' "
        "already holds the whole content",
    )
    quote: QuoteStyle
    statement: str = Field(description="a neutral one-line restatement: who says what")
    via: list[str] = Field(
        description="intermediaries the claim reached us through, outermost first"
    )


class LLMFraming(_Strict):
    """A passage in the outlet's own voice."""

    para: int = Field(description="number of the paragraph [P#] that holds the passage")
    text: str = Field(description="the passage exactly as written, at most 25 words")
    device: Device
    note: str = Field(description="why this is framing, in a few words")


class LLMBriefing(_Strict):
    """The model's whole answer."""

    bluf: str = Field(description="one or two neutral sentences: the bottom line")
    claims: list[LLMClaim]
    framing: list[LLMFraming]


class LLMRepair(_Strict):
    """Answer to a repair prompt: corrected versions of the failed items only."""

    claims: list[LLMClaim]
    framing: list[LLMFraming]


@functools.cache
def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema without titles, built once per model: pydantic rebuilds it on
    every ``model_json_schema()`` call, and requests and prompts need it per call. Callers must
    not mutate it."""
    return without_titles(model.model_json_schema())


@functools.cache
def schema_text(model: type[BaseModel] = LLMBriefing) -> str:
    """A compact JSON schema for prompts in ``json_object`` mode (servers without json_schema)."""
    return json.dumps(json_schema(model), separators=(",", ":"))


def without_titles(node: Any) -> Any:
    """A JSON schema without "title" keywords: they add tokens and say nothing the property
    names do not (a property that is itself called "title" is kept)."""
    if isinstance(node, dict):
        return {
            key: (
                {name: without_titles(value) for name, value in node["properties"].items()}
                if key == "properties"
                else without_titles(value)
            )
            for key, value in node.items()
            if key != "title" or not isinstance(value, str)
        }
    if isinstance(node, list):
        return [without_titles(value) for value in node]
    return node
