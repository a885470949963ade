"""What briefings call framing devices, source kinds, quote kinds, highlight layers and the
sourcing profile's counts."""

from __future__ import annotations

DEVICE_LABELS: dict[str, str] = {
    "unattributed_assertion": "Unattributed assertion",
    "loaded_language": "Loaded language",
    "vague_attribution": "Vague attribution",
    "speculation": "Speculation",
    "assertive_heading": "Assertive heading",
    "rhetorical_question": "Rhetorical question",
    "scare_quotes": "Scare quotes",
    "other": "Other framing",
}
KIND_LABELS: dict[str, str] = {
    "official": "official",
    "institution": "institution",
    "media": "media",
    "document": "document",
    "person": "person",
    "group": "group",
    "anonymous": "anonymous",
    "vague": "vague attribution",
    "outlet": "the outlet itself",
}
QUOTE_LABELS: dict[str, str] = {
    "direct": "direct quote",
    "indirect": "indirect (paraphrase)",
    "mixed": "mixed (partial quote)",
}
# Highlight layers in the HTML article text, and what the legend calls them.
LAYER_LABELS: dict[str, str] = {
    "content": "claim content",
    "cue": "attribution cue",
    "source": "source phrase",
    "framing": "outlet framing",
}
# The sourcing profile's counts, as its table names them.
PROFILE_LABELS: dict[str, str] = {
    "named": "named",
    "anonymous": "anonymous",
    "vague": "vague",
    "first_hand": "first-hand",
    "relayed": "relayed (via)",
    "direct": "direct quote",
    "mixed": "partial quote",
    "indirect": "paraphrase",
    "documents": "documents",
    "people": "people",
    "organizations": "organizations",
    "unidentified": "unidentified",
    "attributed_words": "attributed",
    "outlet_voice_words": "outlet voice",
    "framing_words": "of which flagged framing",
}
