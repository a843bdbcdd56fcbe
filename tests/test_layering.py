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
