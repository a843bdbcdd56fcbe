"""One digest of everything a seed load depends on: the agenda's YAML and the code
that reads it and writes it (the loader, the seed schema, the tables it fills).
The same digest means a load would change nothing, so a start can skip it.

Cheap on purpose (it reads a few files, imports nothing heavy): every start computes it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SEEDS_DIR = Path(__file__).parent
_ROOT = SEEDS_DIR.parent


def seed_files(agenda_dir: Path = SEEDS_DIR / "agenda") -> list[Path]:
    code = [SEEDS_DIR / name for name in ("catalogue.py", "loader.py", "schema.py", "terms.py")]
    code += [_ROOT / "models" / "tables.py", _ROOT / "scheduling" / "fuzzy.py"]
    return sorted(agenda_dir.rglob("*.yaml")) + code


def seeds_fingerprint(agenda_dir: Path = SEEDS_DIR / "agenda") -> str:
    digest = hashlib.sha256()
    for path in seed_files(agenda_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
