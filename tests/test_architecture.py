"""The package's shape: data flows one way, so imports only go up the flow (or to core).

Every import of a trustkg module is checked, those inside functions too (an import hidden in a
function to dodge a cycle is a cycle all the same). A new package must be placed in LAYERS
before it can import or be imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "trustkg"

#: The flow, upstream first. A module may import from its own package, from an earlier entry,
#: and from core; packages on the same line (check, sparql) may not import each other.
LAYERS: list[tuple[str, ...]] = [
    ("core",),
    ("sources",),
    ("load",),
    ("store",),
    ("check", "sparql"),
    ("synthesis",),
    ("pages",),
    ("publish",),
    ("cli",),
]
RANK = {name: i for i, group in enumerate(LAYERS) for name in group}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    assert len(found) > 40, "the glob found too few modules: has the package moved?"
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """trustkg modules that ``name`` imports, anywhere in the file."""
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            subs = [f"{mod}.{a.name}" for a in node.names]
            targets = [s for s in subs if s in known] or [mod]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target.startswith("trustkg") and target != name:
                out.add(target)
    return out


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def test_every_subpackage_has_a_place_in_the_flow():
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert subpackages, "no subpackages found"
    assert subpackages <= set(RANK), f"place these in LAYERS: {sorted(subpackages - set(RANK))}"


def test_imports_only_go_up_the_flow():
    modules = _modules()
    known = set(modules)
    wrong = []
    for name, path in modules.items():
        here = _package(name)
        for target in _imports(name, path, known):
            there = _package(target)
            if here is None or there is None or here == there or there == "core":
                continue
            if RANK[there] >= RANK[here]:
                wrong.append(f"{name} imports {target}")
    assert not wrong, "imports against the flow:\n" + "\n".join(sorted(wrong))


def test_the_low_packages_never_import_the_top_level_package():
    """``trustkg/__init__`` imports the query runner; a low module importing it would close a
    cycle (that is why __version__ lives in core)."""
    modules = _modules()
    known = set(modules)
    offenders = [
        name
        for name, path in modules.items()
        if _package(name) not in (None, "cli") and "trustkg" in _imports(name, path, known)
    ]
    assert not offenders, offenders


def test_no_import_cycle():
    modules = _modules()
    known = set(modules)
    graph = {name: _imports(name, path, known) for name, path in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, cycles


def test_no_private_name_is_imported_from_another_module():
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            ours = isinstance(node, ast.ImportFrom) and (
                node.level or "trustkg" in (node.module or "")
            )
            if ours:
                wrong += [
                    f"{name}: {a.name}"
                    for a in node.names
                    if a.name.startswith("_") and a.name != "__version__"
                ]
    assert not wrong, wrong


def test_the_checks_would_catch_an_upward_import(tmp_path):
    """The rule is not vacuous: a sources module importing the store is caught."""
    fake = tmp_path / "trustkg" / "sources"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from ..store.build import build\n", encoding="utf-8")
    known = {"trustkg.sources.bad", "trustkg.store.build"}
    found = _imports("trustkg.sources.bad", fake / "bad.py", known)
    assert found == {"trustkg.store.build"}
    assert RANK[_package("trustkg.store.build")] > RANK[_package("trustkg.sources.bad")]
