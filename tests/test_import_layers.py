"""The package's stages import downwards only: no circle between subpackages (or top-level modules).

Imports are read with `ast`, including those inside functions (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"


def unit_of(module: str) -> str:
    """`pipeline.model.library` → `model`; `pipeline.cli` → `cli`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imported_modules(path: Path) -> set[str]:
    here = ["pipeline", *path.relative_to(PACKAGE).with_suffix("").parts]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {m for m in found if m.startswith("pipeline.")}


def unit_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        unit = unit_of(".".join(["pipeline", *path.relative_to(PACKAGE).with_suffix("").parts]))
        edges = graph.setdefault(unit, set())
        known = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or p.is_dir()}
        edges.update(u for u in map(unit_of, imported_modules(path)) if u != unit and u in known)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt] if nxt in path else [node, nxt]
            if nxt not in state and (cycle := visit(nxt, [*path, nxt])):
                return cycle
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_no_import_cycle_between_subpackages():
    graph = unit_graph()
    assert {"read", "check", "model", "render", "web", "cli"} <= set(graph)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_cycle_finder_finds_a_planted_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_lower_stages_never_import_higher_ones():
    order = ["dates", "cjk", "cores", "worker", "diagnostics", "errors", "kinds", "read", "check", "model"]
    graph = unit_graph()
    for low_index, low in enumerate(order):
        higher = set(graph) - set(order[: low_index + 1])
        assert not graph.get(low, set()) & higher, f"{low} imports {graph[low] & higher}"


def test_mkdocs_is_imported_by_the_web_adapter_only():
    users = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "mkdocs" or n.startswith("mkdocs.") for n in names):
                users.add(path.relative_to(PACKAGE).as_posix())
    assert users == {"web/mkdocs_plugin.py"}
