"""Read the curated agenda from YAML and check it hangs together.

``read_agenda()`` returns validated seed objects; nothing here touches the
database (see ``seeds/loader.py`` for that). Run ``python -m seeds.catalogue``
to check the YAML after editing it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from models.search import TermGroup
from seeds.schema import Catalogue, CommitmentSeed, DocumentCommitments, SplitSeed
from seeds.terms import TERMS_FILE, read_document_names, read_terms

SEEDS_DIR = Path(__file__).parent
AGENDA_DIR = SEEDS_DIR / "agenda"
SOURCES_DIR = SEEDS_DIR / "sources"


class SeedError(ValueError):
    """The curated agenda is inconsistent; the message says where."""


@dataclass(frozen=True)
class SeedAgenda:
    catalogue: Catalogue
    commitments: list[tuple[str, CommitmentSeed]]  # (document key, commitment)
    terms: tuple[TermGroup, ...] = ()  # names of things and topic words (terms.yaml)
    document_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # other names, by document key
    splits: list[tuple[str, SplitSeed]] = field(default_factory=list)  # (document key, retired record)

    def source_text(self, document_key: str) -> str:
        document = next(d for d in self.catalogue.documents if d.key == document_key)
        return normalise_source((SOURCES_DIR / document.source_file).read_text(encoding="utf-8"))


def normalise_source(text: str) -> str:
    """Fold the differences that copying text out of a web page introduces.

    The documents use non-breaking hyphens (U+2011) and NFC/NFD variants of
    accented names; the seeds are typed with ordinary characters. Nothing else
    is changed, so a seeded text still has to be word-for-word the source.
    """
    text = unicodedata.normalize("NFC", text).replace("\u2011", "-").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def read_agenda(agenda_dir: Path = AGENDA_DIR) -> SeedAgenda:
    catalogue = Catalogue.model_validate(_read_yaml(agenda_dir / "catalogue.yaml"))
    commitments: list[tuple[str, CommitmentSeed]] = []
    splits: list[tuple[str, SplitSeed]] = []
    for path in sorted((agenda_dir / "commitments").glob("*.yaml")):
        part = DocumentCommitments.model_validate(_read_yaml(path))
        commitments.extend((part.document, c) for c in part.commitments)
        splits.extend((part.document, s) for s in part.splits)
    terms_file = agenda_dir / TERMS_FILE.name
    agenda = SeedAgenda(
        catalogue=catalogue,
        commitments=commitments,
        terms=read_terms(terms_file) if terms_file.exists() else (),
        document_names=read_document_names(terms_file) if terms_file.exists() else {},
        splits=splits,
    )
    check_references(agenda)
    return agenda


def _read_yaml(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def check_references(agenda: SeedAgenda) -> None:
    """Every key a seed names must exist; ids must be unique."""
    cat = agenda.catalogue
    documents = {d.key for d in cat.documents}
    areas = {a.key for a in cat.areas}
    departments = {d.key for d in cat.departments}
    mechanisms = {m.key for m in cat.mechanisms}
    problems = [f"terms.yaml: other names of unknown document {k}" for k in agenda.document_names if k not in documents]
    canonical = [t.canonical for t in agenda.terms]
    problems += [f"terms.yaml: {c!r} listed twice" for c in sorted({c for c in canonical if canonical.count(c) > 1})]
    ids = [c.id for _, c in agenda.commitments]
    problems += [f"duplicate commitment id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    known_ids = set(ids)
    placed = {(document, c.id) for document, c in agenda.commitments}
    for document, c in agenda.commitments:
        where = f"commitment {c.id}"
        problems += [f"{where}: unknown document {document}"] * (document not in documents)
        problems += [f"{where}: unknown area {a}" for a in c.areas if a not in areas]
        problems += [f"{where}: unknown owner {o}" for o in c.owners if o not in departments]
        problems += [f"{where}: unknown related id {r}" for r in c.related if r not in known_ids]
        earlier = [r for ids in c.lineage.values() for r in ids]
        problems += [f"{where}: unknown earlier id {r}" for r in earlier if r not in known_ids]
        if c.mechanism and c.mechanism not in mechanisms:
            problems.append(f"{where}: unknown mechanism {c.mechanism}")
    for document, split in agenda.splits:
        where = f"split {split.id}"
        problems += [f"{where}: {split.id} is still a commitment's id"] * (split.id in known_ids)
        problems += [f"{where}: unknown commitment {i}" for i in split.into if i not in known_ids]
        problems += [f"{where}: {i} is not in {document}" for i in split.into if (document, i) not in placed]
    for m in cat.mechanisms:
        where = f"mechanism {m.key}"
        problems += [f"{where}: unknown area {a}" for a in m.areas if a not in areas]
        problems += [f"{where}: unknown owner {o}" for o in m.owners if o not in departments]
        cited = [c.commitment for c in m.cadences] + [o.commitment for o in m.occurrences]
        problems += [f"{where}: unknown commitment {i}" for i in cited if i not in known_ids]
    if problems:
        raise SeedError("; ".join(problems))


def verbatim_problems(agenda: SeedAgenda) -> list[str]:
    """Commitments whose text is not found word for word in their source."""
    sources = {d.key: agenda.source_text(d.key) for d in agenda.catalogue.documents}
    texts = [(c.id, document, c.text) for document, c in agenda.commitments]
    texts += [(f"split {s.id}", document, s.lead_in) for document, s in agenda.splits if s.lead_in]
    texts += [(f"preamble of {d.key}", d.key, d.preamble) for d in agenda.catalogue.documents if d.preamble]
    return [
        f"{what}: text not found verbatim in {document}"
        for what, document, text in texts
        if normalise_source(text) not in sources[document]
    ]


if __name__ == "__main__":
    seeded = read_agenda()
    bad = verbatim_problems(seeded)
    print("\n".join(bad) or f"ok: {len(seeded.commitments)} commitments, all verbatim")
    raise SystemExit(1 if bad else 0)
