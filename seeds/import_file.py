"""The import file: one document and its commitments, for ``agenda-bot import``.

It is the seed format (seeds/schema.py) for one document, in one file::

    document:      a DocumentSeed; source_file is the verbatim text, next to this file
    areas:         optional: new areas (AreaSeed), or changes to existing ones
    departments:   optional: new departments (DepartmentSeed)
    mechanisms:    optional: new meetings, or dates and cadences added to existing ones (MechanismSeed)
    commitments:   CommitmentSeed, each text verbatim from the source file

docs/importing.md has a worked example. ``read_import_file`` checks it as
strictly as the seeds are checked (unknown keys, EDTF dates, commitment ids,
verbatim texts, every key it names known in the file or in the database) and
compiles it to a ``SeedAgenda`` fragment that the seed loader loads. Every
problem is reported with its line in the file; nothing here touches the
database (the keys it already holds are passed in).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from seeds.catalogue import SeedAgenda, normalise_source
from seeds.schema import (
    AreaSeed,
    Catalogue,
    CommitmentSeed,
    DepartmentSeed,
    DocumentSeed,
    MechanismSeed,
    Strict,
)


class ImportFile(Strict):
    document: DocumentSeed
    areas: list[AreaSeed] = Field(default_factory=list)
    departments: list[DepartmentSeed] = Field(default_factory=list)
    mechanisms: list[MechanismSeed] = Field(default_factory=list)
    commitments: list[CommitmentSeed] = Field(min_length=1)


@dataclass(frozen=True)
class Known:
    """The keys the database holds already, which a file may name without defining."""

    areas: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()
    mechanisms: frozenset[str] = frozenset()
    commitments: frozenset[str] = frozenset()
    documents_of: dict[str, str] = field(default_factory=dict)  # commitment id → its document's key


@dataclass
class ImportFileError(ValueError):
    """A file that cannot be imported: every problem, each with where it is."""

    path: str
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{self.path}: nothing imported, {count} problem{'s' if count != 1 else ''}:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def read_import_file(path: Path, known: Known) -> SeedAgenda:
    """The file as a fragment of the agenda, or ImportFileError saying what is wrong and where."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(name, [f"cannot read it: {exc}"]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportFileError(name, [f"{where}not valid YAML: {problem}"]) from None
    if not isinstance(data, dict):
        raise ImportFileError(name, ["line 1: expected a mapping with document: and commitments:"])
    try:
        parsed = ImportFile.model_validate(data)
    except ValidationError as exc:
        raise ImportFileError(name, [_located(node, error) for error in exc.errors()]) from None
    problems = _reference_problems(parsed, known, node)
    problems += _verbatim_problems(parsed, path, node)
    if problems:
        raise ImportFileError(name, problems)
    return SeedAgenda(
        catalogue=Catalogue(
            documents=[parsed.document],
            areas=parsed.areas,
            departments=parsed.departments,
            mechanisms=parsed.mechanisms,
        ),
        commitments=[(parsed.document.key, c) for c in parsed.commitments],
    )


# -- where a problem is ----------------------------------------------------------------


def line_of(node: yaml.Node | None, loc: Sequence[str | int]) -> int | None:
    """The line (1-based) of the value at loc in the composed YAML, or of its nearest parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for step in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if getattr(k, "value", None) == step), None)
            if child is None:  # an unknown key: point at the key itself
                child = next((k for k, _ in node.value if getattr(k, "value", None) == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _path(loc: Sequence[str | int]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _located(node: yaml.Node, error: dict) -> str:
    loc = [step for step in error["loc"] if not (isinstance(step, str) and step.startswith("function-"))]
    line = line_of(node, loc)
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (see docs/importing.md for the keys a file may have)"
    where = f"line {line}, " if line else ""
    return f"{where}{_path(loc) or 'the file'}: {message}"


def _reference_problems(parsed: ImportFile, known: Known, node: yaml.Node) -> list[str]:
    areas = known.areas | {a.key for a in parsed.areas}
    departments = known.departments | {d.key for d in parsed.departments}
    mechanisms = known.mechanisms | {m.key for m in parsed.mechanisms}
    ids = [c.id for c in parsed.commitments]
    commitments = known.commitments | set(ids)
    problems = []

    def unknown(loc: list, what: str, value: str, choices: set[str] | frozenset[str]) -> None:
        hint = f" (known: {', '.join(sorted(choices))})" if len(choices) <= 40 else ""
        problems.append(f"line {line_of(node, loc)}, {_path(loc)}: unknown {what} {value!r}{hint}")

    def areas_and_owners(loc: list, record) -> None:
        """A commitment's or a meeting's areas and owning departments, each one known."""
        for j, key in enumerate(record.areas):
            if key not in areas:
                unknown([*loc, "areas", j], "area", key, areas)
        for j, key in enumerate(record.owners):
            if key not in departments:
                unknown([*loc, "owners", j], "department", key, departments)

    for i, c in enumerate(parsed.commitments):
        if ids.count(c.id) > 1:
            problems.append(f"line {line_of(node, ['commitments', i, 'id'])}, commitments[{i}].id: {c.id} twice")
        elsewhere = known.documents_of.get(c.id)
        if elsewhere and elsewhere != parsed.document.key:
            problems.append(f"line {line_of(node, ['commitments', i, 'id'])}, commitments[{i}].id: {c.id} is a "
                            f"commitment of {elsewhere}; a new one needs an id of its own")  # fmt: skip
        areas_and_owners(["commitments", i], c)
        for part in ("related", "continues", "updates", "supersedes"):
            for j, key in enumerate(getattr(c, part)):
                if key not in commitments:
                    unknown(["commitments", i, part, j], "commitment", key, frozenset())
        if c.mechanism and c.mechanism not in mechanisms:
            unknown(["commitments", i, "mechanism"], "mechanism", c.mechanism, mechanisms)
    for i, m in enumerate(parsed.mechanisms):
        areas_and_owners(["mechanisms", i], m)
        for part in ("cadences", "occurrences"):
            for j, item in enumerate(getattr(m, part)):
                if item.commitment not in commitments:
                    unknown(["mechanisms", i, part, j, "commitment"], "commitment", item.commitment, frozenset())
    return problems


def _verbatim_problems(parsed: ImportFile, path: Path, node: yaml.Node) -> list[str]:
    source_path = path.parent / parsed.document.source_file
    loc = ["document", "source_file"]
    try:
        source = normalise_source(source_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return [f"line {line_of(node, loc)}, document.source_file: cannot read the source text {source_path}: {exc}"]
    return [
        f"line {line_of(node, ['commitments', i, 'text'])}, commitments[{i}].text ({c.id}): "
        f"not found word for word in {parsed.document.source_file}"
        for i, c in enumerate(parsed.commitments)
        if normalise_source(c.text) not in source
    ]
