"""The architecture, enforced: platform code only in bot/, settings read only in bot/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NEUTRAL = ["handlers", "scheduling", "models", "seeds"]
PLATFORM_MODULES = ("slack_bolt", "slack_sdk", "microsoft_teams", "botbuilder", "starlette", "uvicorn")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", NEUTRAL)
def test_neutral_layers_never_import_a_platform_or_the_web_stack(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imports(path) if m.split(".")[0] in PLATFORM_MODULES)
        for path in _sources(package)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("package", NEUTRAL)
def test_neutral_layers_never_import_bot(package):
    offenders = [
        str(p.relative_to(ROOT)) for p in _sources(package) if any(m.split(".")[0] == "bot" for m in _imports(p))
    ]
    assert offenders == []


@pytest.mark.parametrize("package", NEUTRAL)
def test_only_bot_reads_the_environment(package):
    offenders = [
        str(p.relative_to(ROOT))
        for p in _sources(package)
        if "os.environ" in (text := p.read_text()) or "getenv" in text
    ]
    assert offenders == []


# Persistence lives in models/ (and the outbox in scheduling/outbox.py): above it, code may hold a
# session, type it and catch the database's errors, never build a query.
QUERY_LIBRARIES = ("sqlmodel", "sqlalchemy")
NOT_QUERIES = {
    "sqlmodel": {"Session", "SQLModel"},  # types
    "sqlalchemy.exc": None,  # errors (None: any name)
    "sqlalchemy.orm.exc": None,
    "sqlalchemy.engine": {"Engine", "make_url"},  # a type, and reading a URL
}


def _query_imports(path: Path) -> list[str]:
    """What path imports from the database libraries beyond sessions, types and errors."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in QUERY_LIBRARIES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in QUERY_LIBRARIES:
            allowed = NOT_QUERIES.get(node.module, set())
            if allowed is not None:
                found += [f"{node.module}.{a.name}" for a in node.names if a.name not in allowed]
    return sorted(found)


def _raw_sql(path: Path) -> list[str]:
    """Statements run straight on a session or connection: ``.exec(...)``, ``.execute(...)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted(
        f"{node.func.attr} at line {node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("exec", "execute", "exec_driver_sql")
    )


@pytest.mark.parametrize("package", ["bot", "handlers"])
def test_only_models_query_the_database(package):
    offenders = {str(p.relative_to(ROOT)): _query_imports(p) + _raw_sql(p) for p in _sources(package)}
    assert {k: v for k, v in offenders.items() if v} == {}


ORM_WRITES = ("add", "add_all", "delete", "merge")
# Modules still writing rows themselves, until their writes move to models/ (keep it empty).
WRITES_ALLOWED: set[str] = set()


def _orm_writes(path: Path) -> list[str]:
    """Rows written straight through a session (``session.add(row)``, ``ctx.session.delete(row)``…):
    above models/, writes go through named functions (models/writes.py and the repository)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ORM_WRITES:
            receiver = node.func.value
            name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
            if "session" in name.lower():
                found.append(f"{node.func.attr} at line {node.lineno}")
    return sorted(found)


@pytest.mark.parametrize("package", ["bot", "handlers"])
def test_only_models_write_rows(package):
    offenders = {str(p.relative_to(ROOT)): _orm_writes(p) for p in _sources(package)}
    assert {k: v for k, v in offenders.items() if v and k not in WRITES_ALLOWED} == {}


def test_the_write_rule_catches_a_write(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "def f(ctx, session, row, seen):\n    ctx.session.add(row)\n    session.delete(row)\n"
        "    seen.add(row)\n    ctx.session.merge(row)\n"
    )
    assert _orm_writes(module) == ["add at line 2", "delete at line 3", "merge at line 5"]


def test_the_query_rule_catches_a_query(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from sqlmodel import Session, select\nfrom sqlalchemy.exc import IntegrityError\n"
        "def f(session: Session):\n    return session.exec(select(1)).one()\n"
    )
    assert _query_imports(module) == ["sqlmodel.select"]
    assert _raw_sql(module) == ["exec at line 4"]


# What the planner plans from, moved beside it from handlers/ (the same persistence rules as handlers/).
PLANNING = [f"scheduling/{name}.py" for name in ("reminders", "digest", "meeting_digest", "meeting_asks")]
# handlers/ by role, lower layers first: the view model (views/) knows nothing of the agenda's domain
# (domain/), which knows nothing of what the planner plans from it (PLANNING), which knows nothing of the
# commands (commands/), which know nothing of the pages (pages/). An import inside a function (lazy, at
# call time) or under TYPE_CHECKING is not a layer's dependency.
_PLANNING_MODULES = tuple(p.removesuffix(".py").replace("/", ".") for p in PLANNING)
LAYERS = {
    "handlers/views": ("handlers.domain", *_PLANNING_MODULES, "handlers.commands", "handlers.pages"),
    "handlers/domain": (*_PLANNING_MODULES, "handlers.commands", "handlers.pages"),
    **{planning: ("handlers.commands", "handlers.pages") for planning in PLANNING},
    "handlers/commands": ("handlers.pages",),
}


def _top_level_imports(path: Path) -> set[str]:
    """Modules imported when the module is (not inside a function, nor under TYPE_CHECKING)."""
    found = set()

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                found.add(child.module)
                found.update(f"{child.module}.{alias.name}" for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_handlers_layers_import_only_downwards(layer):
    above = LAYERS[layer]
    paths = [ROOT / layer] if layer.endswith(".py") else _sources(layer)
    offenders = {
        str(p.relative_to(ROOT)): sorted(m for m in _top_level_imports(p) if m.startswith(above))
        for p in paths
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("module", PLANNING)
def test_planning_beside_the_planner_builds_no_query_and_writes_no_row(module):
    path = ROOT / module
    assert _query_imports(path) + _raw_sql(path) + _orm_writes(path) == []
