"""Names of things in the agreed texts, in English, French and Japanese.

The texts are in English. ``seeds/agenda/terms.yaml`` lists, for what people
name (``names``: a treaty, a body, a place) and for topic words (``words``), the
English the texts use first and then what else means the same: acronyms, the
French and the Japanese; and, under ``documents``, other names of each document
("Indo-Pacific" for the 2021 priorities). A search
reads a French or Japanese name as its English (handlers/domain/index.py); an acronym
and its spelled-out form find the same items. Areas and meetings are named in
the three languages by their aliases in ``catalogue.yaml`` instead.

The seed loader stores both in the database (``search_term``, ``document.aliases``),
so answering a lookup reads no file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from models.search import TermGroup

TERMS_FILE = Path(__file__).parent / "agenda" / "terms.yaml"


@cache
def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def read_document_names(path: Path = TERMS_FILE) -> dict[str, tuple[str, ...]]:
    """Other names of documents, by document key: "Indo-Pacific", "行動計画"."""
    return {key: tuple(str(n) for n in names) for key, names in (_read(path).get("documents") or {}).items()}


@cache
def read_terms(path: Path = TERMS_FILE) -> tuple[TermGroup, ...]:
    raw = _read(path)
    groups = []
    for section, names_a_thing in (("names", True), ("words", False)):
        for entry in raw.get(section) or ():
            names = [str(n) for n in entry]
            groups.append(TermGroup(names[0], tuple(names[1:]), names_a_thing))
    return tuple(groups)
