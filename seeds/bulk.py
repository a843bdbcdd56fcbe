"""Bulk updates: a spreadsheet (CSV) or an export (JSON) imported back, through seeds/imports.py.

A coordinator exports the agenda (`agenda-bot export --format csv`), edits
statuses, treaty stages, owners and due dates in a spreadsheet, and imports
it: ``import_rows`` turns every row into the change it asks for, checks it
strictly (each problem reported with its row: an unknown id, a status that is
none, a department nobody knows, a date that is no date) and makes the change
inside ``run_import``, so it gets the same preview, the same refusal over chat
edits and the same audited, all-or-nothing apply as a document file.

An export in JSON (`agenda-bot export --format json`) imports back the same
way; its commitments' content (title, text, areas, kind, dates…) goes
through the seed loader's upserts (seeds/loader.py), so exporting and
importing back changes nothing, and editing a field in the JSON changes that
field. Columns computed from others (``status_wording``, ``next``, ``stages``,
``document_title``, ``document_date``) are read, never imported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError
from sqlmodel import Session, select

from models.revision import agenda_changed
from models.splits import split_of
from models.tables import (
    Commitment,
    CommitmentStage,
    Department,
    Document,
    Kind,
    Origin,
    Owner,
    OwnerKind,
    Sensitivity,
    Stage,
    Status,
)
from scheduling.fuzzy import FuzzyDate
from seeds.catalogue import SeedAgenda
from seeds.import_file import ImportFileError
from seeds.imports import ImportResult, Scope, run_import
from seeds.schema import Catalogue, CommitmentSeed

# Cells a spreadsheet would run as a formula start with these; the export puts a ' before them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DERIVED = {
    "status_wording",
    "next",
    "stages",
    "document_title",
    "document_date",
    "owners_source",
    "status_source",
    "due_source",
    "steps",
}  # fmt: skip (steps: imported from an export's JSON, read-only in a spreadsheet)
# What a spreadsheet may change; the other columns must be left as exported.
EDITABLE = {"id", "status", "stage", "stage_date", "owners", "due", "sensitivity"}
CONTENT = ("title", "text", "document", "section", "areas", "kind", "dates_stated", "organisations", "mechanism",
           "related", "title_fr", "title_ja", "official_fr", "official_fr_source", "official_ja",
           "official_ja_source")  # fmt: skip
LANGUAGES = ("fr", "ja")
STATUS_WORDS = {s.value.replace("_", " "): s for s in Status} | {s.value: s for s in Status}
STAGE_WORDS = {s.value.replace("_", " "): s for s in Stage} | {s.value: s for s in Stage}


@dataclass
class Wanted:
    """What one row asks for; None: leave it as it is."""

    where: str  # "row 4" (CSV) or "commitments[3]" (JSON)
    key: str
    status: Status | None = None
    stage: tuple[Stage, str] | None = None
    owners: list[tuple[str, str, str]] | None = None  # (kind, ref, display name)
    due: str | None = None
    due_given: bool = False
    sensitivity: Sensitivity | None = None
    content: CommitmentSeed | None = None  # JSON only: the row's content, for the seed loader
    document: str | None = None


@dataclass
class _Reader:
    session: Session
    path: str
    problems: list[str] = field(default_factory=list)

    now: datetime | None = None

    def __post_init__(self) -> None:
        self.commitments = {c.key: c for c in self.session.exec(select(Commitment))}
        self.documents = {d.id: d for d in self.session.exec(select(Document))}
        self.departments = list(self.session.exec(select(Department)))
        self.current = _current_rows(self.session, self.now)

    def bad(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def row(self, where: str, values: dict, *, spreadsheet: bool) -> Wanted | None:
        key = _cell(values.get("id"))
        if not key:
            self.bad(where, "no id")
            return None
        commitment = self.commitments.get(key)
        if commitment is None and (split := split_of(session=self.session, key=key)) is not None:
            self.bad(where, f"{split.key} was split into {', '.join(split.successor_keys)}: give a row for each")
            return None
        if commitment is None:
            self.bad(where, f"unknown id {key!r} (a new commitment comes with its document: docs/importing.md)")
            return None
        wanted = Wanted(where=f"{where} ({key})", key=key)
        here = wanted.where
        current = self.current[key]
        if "status" in values and _cell(values["status"]):
            status = STATUS_WORDS.get(_cell(values["status"]).lower())
            if status is None:
                self.bad(here, f"status {_cell(values['status'])!r} is none of {', '.join(s.value for s in Status)}")
            elif status != commitment.status:
                wanted.status = status
        if "stage" in values:
            self.stage(wanted, commitment, _cell(values.get("stage")), _cell(values.get("stage_date")), current)
        if "owners" in values:
            self.owners(wanted, _list(values["owners"]), current)
        if "due" in values and (spreadsheet or "content" not in values):
            due = _cell(values["due"]) or None
            if due != commitment.due_edtf:
                self.due(wanted, commitment, due)
        if "sensitivity" in values and _cell(values["sensitivity"]):
            try:
                sensitivity = Sensitivity(_cell(values["sensitivity"]).lower())
            except ValueError:
                self.bad(here, f"sensitivity {_cell(values['sensitivity'])!r} is public or restricted")
            else:
                wanted.sensitivity = sensitivity if sensitivity != commitment.sensitivity else None
        if spreadsheet:
            for column in CONTENT:
                if column in values and _same(column, values[column], current[column]) is False:
                    self.bad(here, f"{column} cannot be changed from a spreadsheet (import the document, or edit "
                             f"it in chat); leave the column as exported")  # fmt: skip
        return wanted

    def stage(self, wanted: Wanted, commitment: Commitment, stage: str, on: str, current: dict) -> None:
        if not stage:
            if current["stage"]:
                self.bad(wanted.where, "stages are not removed by an import; leave the stage as exported")
            return
        value = STAGE_WORDS.get(stage.lower())
        if value is None:
            self.bad(wanted.where, f"stage {stage!r} is none of {', '.join(s.value for s in Stage)}")
            return
        if (value.value, on) == (current["stage"], current["stage_date"]):
            return
        if commitment.kind != Kind.deadline:
            self.bad(wanted.where, f"stages are for treaties and agreements with a deadline; it is {commitment.kind}")
            return
        if not on or not _edtf(on):
            self.bad(wanted.where, f"stage_date {on!r} is not a date (2010-05-24, 2010-05, 2010)")
            return
        wanted.stage = (value, on)

    def owners(self, wanted: Wanted, names: list[str], current: dict) -> None:
        if sorted(names) == sorted(current["owners"]):
            return
        found = []
        for name in names:
            if name.startswith("<@") and name.endswith(">") and ":" in name:
                found.append((OwnerKind.user.value, name[2:-1], name))
                continue
            department = next((d for d in self.departments if _names_department(d, name)), None)
            if department is None:
                self.bad(wanted.where, f"owner {name!r} is no known department nor a person (<@slack:U…>)")
            else:
                found.append((OwnerKind.department.value, department.key, department.name))
        wanted.owners = list(dict.fromkeys(found))

    def due(self, wanted: Wanted, commitment: Commitment, due: str | None) -> None:
        if due is None and commitment.kind == Kind.deadline:
            self.bad(wanted.where, "a deadline needs a due date")
        elif due is not None and not _edtf(due):
            self.bad(wanted.where, f"due {due!r} is not an EDTF date (2027-12-31, ../2027-12-31, 2027-23)")
        else:
            wanted.due, wanted.due_given = due, True

    def content(self, wanted: Wanted, values: dict) -> None:
        """An export's row: its content as a seed, for the loader; the document must stay the same."""
        commitment = self.commitments[wanted.key]
        document = self.documents[commitment.document_id]
        if values.get("document") not in (None, document.short_title):
            self.bad(wanted.where, f"document {values['document']!r}: moving a commitment to another document "
                     f"is not imported (it is in {document.short_title!r})")  # fmt: skip
            return
        text = values.get("text", commitment.text)
        if isinstance(text, str) and " ".join(text.split()) == " ".join(commitment.text.split()):
            text = commitment.text  # the same words: spacing a chat edit kept stays as it is
        try:
            wanted.content = CommitmentSeed(
                id=wanted.key,
                title=values.get("title", commitment.title),
                section=values.get("section", commitment.section),
                text=text,
                areas=values.get("areas", []),
                kind=values.get("kind", commitment.kind),
                dates_stated=values.get("dates_stated", commitment.dates_stated),
                due=values.get("due", commitment.due_edtf),
                mechanism=values.get("mechanism"),
                organisations=values.get("organisations", commitment.organisation_list),
                related=values.get("related", commitment.related_keys),
                steps=values.get("steps", commitment.steps),
                **_translations(values),
                **(commitment.lineage or {}),  # not in an export: it stays as it is
            )
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(step) for step in error["loc"])
                self.bad(wanted.where, f"{where + ': ' if where else ''}{error['msg'].removeprefix('Value error, ')}")
            return
        wanted.document = document.key


def _translations(values: dict) -> dict:
    """An export's French and Japanese titles and official texts, as the seed states them. One left
    out or emptied is left as it is: an import adds and replaces, it does not remove (a coordinator
    removes an official text in chat, and a title edited in the bot loses its translations there)."""
    titles = {language: title for language in LANGUAGES if (title := _cell(values.get(f"title_{language}")))}
    official = {
        language: {"text": text, "source": _cell(values.get(f"official_{language}_source"))}
        for language in LANGUAGES
        if (text := _cell(values.get(f"official_{language}")))
    }
    return {"titles": titles, "official": official}


def _current_rows(session: Session, now: datetime) -> dict[str, dict]:
    """The export's rows as they would be now: what "left as exported" is compared with."""
    from handlers.domain.timeline import Timeline
    from handlers.pages.export import commitment_rows

    timeline = Timeline.load(session, now.date())
    return {row["id"]: row for row in commitment_rows(session=session, timeline=timeline)}


def _names_department(department: Department, name: str) -> bool:
    name = name.casefold()
    return name in {department.key.casefold(), department.name.casefold(), *(a.casefold() for a in department.aliases)}


def _cell(value) -> str:
    """A cell's text, without the ' the export puts before what a spreadsheet would run as a formula."""
    if value is None:
        return ""
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_START:
        text = text[1:]
    return text


def _list(value) -> list[str]:
    if isinstance(value, list):
        return [_cell(v) for v in value if _cell(v)]
    return [part for part in (_cell(p) for p in _cell(value).split(";")) if part]


def _same(column: str, given, current) -> bool:
    if isinstance(current, list):
        return _list(given) == [str(v) for v in current]
    if column == "text":
        return " ".join(_cell(given).split()) == " ".join(str(current or "").split())
    return _cell(given) == str(current or "")


def _edtf(value: str) -> bool:
    try:
        FuzzyDate.parse(value)
    except Exception:  # noqa: BLE001 (any failure to parse is "not a date", said with the row)
        return False
    return True


# -- reading the files --------------------------------------------------------------------------


def read_csv(session: Session, path: Path, *, now: datetime) -> list[Wanted]:
    from handlers.pages.export import CSV_COLUMNS

    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet may save a byte-order mark
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(name, [f"cannot read it: {exc}"]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    problems = [f"line 1: unknown column {c!r} (columns: {', '.join(CSV_COLUMNS)})" for c in header
                if c not in CSV_COLUMNS]  # fmt: skip
    if "id" not in header:
        problems.append("line 1: no id column: the first line names the columns, as the export writes them")
    if problems:
        raise ImportFileError(name, problems)
    checker = _Reader(session, name, now=now)
    wanted, seen = [], {}
    try:
        for values in reader:
            where = f"line {reader.line_num}"
            if None in values:
                checker.bad(where, "more cells than columns")
                continue
            key = _cell(values.get("id"))
            if key in seen:
                checker.bad(where, f"{key} again (first on {seen[key]})")
                continue
            seen[key] = where
            row = checker.row(where, values, spreadsheet=True)
            if row:
                wanted.append(row)
    except csv.Error as exc:
        checker.bad(f"line {reader.line_num}", f"not valid CSV: {exc}")
    if checker.problems:
        raise ImportFileError(name, checker.problems)
    return wanted


def read_export(session: Session, path: Path, *, now: datetime) -> list[Wanted]:
    name = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(name, [f"cannot read it: {exc}"]) from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(name, [f"line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("commitments"), list):
        raise ImportFileError(name, ['expected what `agenda-bot export --format json` writes: {"commitments": […]}'])
    unknown = sorted(set(data) - {"commitments", "mechanisms", "audit", "splits"})  # splits: read, never imported
    if unknown:
        problems = [f"unknown key {k!r} (an export has commitments, mechanisms, audit)" for k in unknown]
        raise ImportFileError(name, problems)
    from handlers.pages.export import CSV_COLUMNS

    checker = _Reader(session, name, now=now)
    wanted, seen = [], {}
    for index, values in enumerate(data["commitments"]):
        where = f"commitments[{index}]"
        if not isinstance(values, dict):
            checker.bad(where, "not an object")
            continue
        for column in sorted(set(values) - set(CSV_COLUMNS)):
            checker.bad(where, f"unknown field {column!r}")
        key = _cell(values.get("id"))
        if key in seen:
            checker.bad(where, f"{key} again (first at {seen[key]})")
            continue
        seen[key] = where
        row = checker.row(where, values | {"content": True}, spreadsheet=False)
        if row:
            checker.content(row, values)
            wanted.append(row)
    if checker.problems:
        raise ImportFileError(name, checker.problems)
    return wanted


# -- the change -----------------------------------------------------------------------------------


def import_rows(
    session: Session, path: Path, rows: list[Wanted], *, actor: str, now: datetime, apply: bool,
    overwrite_chat_edits: bool = False, source: str | None = None, origin: str | None = None,
    expected: str | None = None, on_apply: Callable[[Session], None] | None = None,
) -> ImportResult:  # fmt: skip
    session.rollback()  # the reads end here: the import's transaction starts with its write lock
    scope = Scope(keys={"commitment": {r.key for r in rows}})
    content = [(r.document, r.content) for r in rows if r.content is not None]

    def change(db: Session) -> None:
        if content:
            from seeds.loader import load_fragment

            catalogue = Catalogue(documents=[], areas=[], departments=[], mechanisms=[])
            load_fragment(db, SeedAgenda(catalogue=catalogue, commitments=content), owners=False)
        for row in rows:
            _apply(db, row, actor=actor, now=now, source=source or str(path))

    return run_import(
        session, source=source or str(path), actor=actor, now=now, scope=scope, change=change, apply=apply,
        overwrite_chat_edits=overwrite_chat_edits, origin=origin, expected=expected, on_apply=on_apply,
    )  # fmt: skip


def _apply(db: Session, row: Wanted, *, actor: str, now: datetime, source: str) -> None:
    wants = (row.status, row.stage, row.owners is not None, row.due_given, row.sensitivity)
    if not any(wants):
        return
    agenda_changed(db)
    commitment = db.exec(select(Commitment).where(Commitment.key == row.key)).one()
    if row.status is not None:
        commitment.status, commitment.status_note = row.status, ""
    if row.stage is not None:
        stage, on = row.stage
        of_it = select(CommitmentStage).where(CommitmentStage.commitment_id == commitment.id)
        existing = db.exec(of_it.where(CommitmentStage.stage == stage)).first()
        existing = existing or CommitmentStage(commitment_id=commitment.id, stage=stage)
        existing.on_edtf, existing.source_note = on, f"imported from {source}"
        existing.recorded_by, existing.recorded_at = actor, now
        db.add(existing)
    if row.owners is not None:
        for owner in db.exec(select(Owner).where(Owner.commitment_id == commitment.id)).all():
            db.delete(owner)
        db.flush()
        for kind, ref, name in row.owners:
            db.add(Owner(commitment_id=commitment.id, kind=kind, ref=ref, display_name=name, origin=Origin.imported))
    if row.due_given:
        window = FuzzyDate.parse(row.due) if row.due else None
        commitment.due_edtf = row.due
        commitment.due_start, commitment.due_end = (window.start, window.end) if window else (None, None)
    if row.sensitivity is not None:
        commitment.sensitivity = row.sensitivity
    commitment.updated_at = now
    db.add(commitment)
    db.flush()
