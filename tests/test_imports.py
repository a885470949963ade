"""The package's imports run one way: no import circles, and no stage imports a later one.

Stages, from the bottom: what everything uses, the contract, text tools and grounding, ingest,
engines, the pipeline, rendering, delivery, then digests and evaluation, then the CLI and the
package's front (``briefer/__init__.py``). A module may import its own stage or a lower one.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "briefer"

STAGES: list[set[str]] = [
    {"briefer._version", "briefer.errors"},
    {"briefer.resources", "briefer.console", "briefer.config", "briefer.backoff", "briefer.atomic"},
    {"briefer.contract"},
    {"briefer.segment", "briefer.ground"},
    {"briefer.ingest"},
    {"briefer.engines"},
    {"briefer.pipeline"},
    {"briefer.render"},
    {"briefer.deliver"},
    {"briefer.digest", "briefer.evaluation"},
    {"briefer.corpus"},
    {"briefer.cli"},
    {"briefer", "briefer.__main__"},
]
# Rooms of one stage that must not lean on each other: an engine is a plugin like any other.
SIBLINGS = [
    {"briefer.engines.rules", "briefer.engines.openai"},
    {"briefer.digest", "briefer.evaluation"},
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every briefer module ``name`` imports, at module level or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                stem = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*stem, *([node.module] if node.module else [])])
            # "from pkg import sub" imports the submodule; "from pkg import name", the package.
            candidates = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def test_no_import_cycles() -> None:
    known = _modules()
    graph = {name: _imports(name, path, known) for name, path in known.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def _room(name: str, rooms: set[str]) -> str | None:
    """The longest of ``rooms`` that is ``name`` or a package holding it."""
    # The package itself is a room only for its own front: everything lies inside it.
    held = [
        room
        for room in rooms
        if name == room or (room != "briefer" and name.startswith(room + "."))
    ]
    return max(held, key=len) if held else None


def _stage(name: str) -> int:
    for index, stage in enumerate(STAGES):
        if name in stage:
            return index
    best = [
        (len(room), index) for index, stage in enumerate(STAGES) if (room := _room(name, stage))
    ]
    assert best, f"{name} belongs to no stage: add it to STAGES"
    return max(best)[1]


def layering_problems(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for name, targets in sorted(graph.items()):
        for target in sorted(targets):
            if _stage(target) > _stage(name):
                problems.append(f"{name} imports {target}, a later stage")
            for rooms in SIBLINGS:
                mine, theirs = _room(name, rooms), _room(target, rooms)
                if mine and theirs and mine != theirs:
                    problems.append(f"{name} imports {target}, a sibling room")
    return problems


def test_no_stage_imports_a_later_one() -> None:
    known = _modules()
    graph = {name: _imports(name, path, known) for name, path in known.items()}
    assert layering_problems(graph) == []


def test_the_checker_sees_an_upward_or_sideways_import() -> None:
    graph = {
        "briefer.ground": {"briefer.engines.drafts"},
        "briefer.engines.openai.engine": {"briefer.engines.rules", "briefer.engines.base"},
        "briefer.cli.brief": {"briefer.pipeline.batch"},
    }
    assert layering_problems(graph) == [
        "briefer.engines.openai.engine imports briefer.engines.rules, a sibling room",
        "briefer.ground imports briefer.engines.drafts, a later stage",
    ]


def test_the_checker_sees_a_cycle(tmp_path: Path) -> None:
    # The check must be able to fail: a two-module circle is reported.
    (tmp_path / "a.py").write_text("from pkg import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from pkg.a import x\n")
    known = {"pkg.a": tmp_path / "a.py", "pkg.b": tmp_path / "b.py"}
    graph = {name: _imports(name, path, known) for name, path in known.items()}
    assert graph == {"pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}}
