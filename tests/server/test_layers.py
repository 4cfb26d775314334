"""The import graph between server's folders: nothing imports a higher layer, and no two folders import each other.

Walks every import, at top level and inside functions (an import inside a function that climbs
a layer is a loop with the lights off). docs/architecture.md draws the same layers.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first; a unit may import its own layer's units or lower ones, never higher.
LAYERS: list[set[str]] = [
    {"settings"},
    {"sqlite_engine"},
    {"db"},
    {"lib", "jobs", "storage", "content_counter"},
    {"accounts"},
    {"uploads", "idempotency"},
    {"posts"},
    {"push", "views", "live", "media_files"},
    {"notifications"},
    {"social"},
    {"feed"},
    {"announcements", "search", "people"},
    # Entry points and the wiring: they may import anything below.
    {"app", "cli", "worker", "wiring", "demo", "migrations", "piccolo_conf", "__main__"},
]
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def _unit(path: Path) -> str:
    """A folder of server/ (a domain) or a top-level module, by name."""
    rel = path.relative_to(ROOT / "server")
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported_units(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "server":
            parts = node.module.split(".")
            found.update([parts[1]] if len(parts) > 1 else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("server."))
    return found


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in (ROOT / "server").rglob("*.py"):
        if "piccolo_migrations" in path.parts:
            continue  # Piccolo's generated migrations import only their own tables
        unit = _unit(path)
        tree = ast.parse(path.read_text(), str(path))
        relative = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]
        assert not relative, f"{path}:{relative}: a relative import hides where code comes from"
        graph[unit] |= _imported_units(tree) - {unit}
    return dict(graph)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def test_every_folder_has_a_layer():
    units = {_unit(p) for p in (ROOT / "server").rglob("*.py") if "piccolo_migrations" not in p.parts}
    assert units - {"__init__"} <= set(RANK), f"give these a layer in LAYERS (and docs/architecture.md): {sorted(units - set(RANK) - {'__init__'})}"


def test_nothing_imports_a_higher_layer():
    upward = sorted(
        f"{unit} -> {target}" for unit, targets in import_graph().items() for target in targets
        if target in RANK and RANK[target] > RANK.get(unit, len(LAYERS))
    )
    assert upward == []


def test_no_two_folders_import_each_other():
    assert _cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle():
    (cycle,) = _cycles({"posts": {"social"}, "social": {"notifications"}, "notifications": {"posts"}, "feed": {"posts"}})
    assert cycle[0] == cycle[-1] and set(cycle) == {"posts", "social", "notifications"}


def test_media_imports_nothing_of_the_server():
    for path in (ROOT / "media").rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        assert not _imported_units(tree), f"{path} imports server code: media/ stands alone"
