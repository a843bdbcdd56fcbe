"""The shape of the curated agenda in ``seeds/agenda/*.yaml``.

The YAML is written by people reading the source documents, so it is checked
strictly here (unknown keys are errors) before anything touches the database.
Dates use EDTF (ISO 8601-2), the standard notation for uncertain and fuzzy
dates: ``1999-09-17``, ``2005-09`` (a month), ``2000-23`` (autumn 2000),
``../2003-12-31`` (by the end of 2003), ``2021?`` (2021, inferred).
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from typing import Annotated

from edtf import EDTFParseException, parse_edtf
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from models.tables import Kind

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_COMMITMENT_ID = re.compile(r"^\d{4}-[A-Z]?\d+[a-z]?$")


def _edtf(value: str) -> str:
    if not _is_edtf(value):
        raise ValueError(f"not an EDTF date: {value!r}")
    return value


@functools.lru_cache(maxsize=8192)
def _is_edtf(value: str) -> bool:
    """Memoised: the EDTF grammar takes milliseconds a date, and an agenda repeats its dates (most of
    the time reading 10,000 generated commitments went here)."""
    try:
        parse_edtf(value)
    except EDTFParseException:
        return False
    return True


def _key(value: str) -> str:
    if not _KEY.match(value):
        raise ValueError(f"keys are lower-case words joined by hyphens, got {value!r}")
    return value


def _rrule(value: str) -> str:
    # Imported here so that a bad rule names the field it came from.
    from dateutil.rrule import rrulestr

    rrulestr(value)
    return value


Edtf = Annotated[str, AfterValidator(_edtf)]
Key = Annotated[str, AfterValidator(_key)]
RRule = Annotated[str, AfterValidator(_rrule)]


class Country(StrEnum):
    CA = "CA"
    JP = "JP"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Language(StrEnum):
    """The languages the team writes names and titles in besides English (handlers/views/names.py)."""

    fr = "fr"
    ja = "ja"


def _written(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("an empty translation: leave the language out instead")
    return value


Written = Annotated[str, AfterValidator(_written)]
# The team's French and Japanese for an English name or title: {fr: …, ja: …}. Never agreed text.
Translations = dict[Language, Written]


class OfficialSeed(Strict):
    """An official text of a commitment in French or Japanese, as the governments published it."""

    text: Written = Field(description="The official text, as published: never the team's translation.")
    source: Written = Field(description="Where it is published: a treaty series, a ministry's page.")


class DocumentSeed(Strict):
    key: Key
    title: str
    short_title: str = Field(description="How answers cite it, e.g. '1999 Action Agenda'.")
    short_titles: Translations = Field(default_factory=dict, description="The short title in French and Japanese.")
    source_file: str = Field(description="File name under seeds/sources/.")
    date: Edtf
    date_note: str = Field(description="Where the date comes from; how it was inferred if the text has no year.")
    place: str | None = None
    issued_by: str | None = None
    preamble: str | None = Field(
        default=None,
        description="The framing statement before the commitments, verbatim: cited by lookups, never a commitment.",
    )


class AreaSeed(Strict):
    key: Key
    name: str
    names: Translations = Field(default_factory=dict, description="The name in French and Japanese.")
    aliases: list[str] = Field(default_factory=list, description="Acronyms and the words people type.")
    description: str = ""


class DepartmentSeed(Strict):
    key: Key
    name: str
    names: Translations = Field(default_factory=dict, description="Its official French and Japanese names.")
    country: Country
    aliases: list[str] = Field(default_factory=list, description="Acronyms and former names (DFAIT, JDA...).")


class StepSeed(Strict):
    """One sub-step of a commitment: what it is and, once it is done, when (EDTF)."""

    text: str = Field(description="The step, in the agreed text's words where it has them.")
    done: Edtf | None = Field(default=None, description="When it was done; empty while it is not.")


class SplitSeed(Strict):
    """A record that merged separate undertakings, retired: its id resolves to the ones it became."""

    id: str = Field(description="The retired id, as people used it: 2005-D1.")
    into: list[str] = Field(min_length=2, description="The ids of the commitments it was split into.")
    lead_in: str | None = Field(
        default=None, description="Words the parts shared, verbatim, when they were one sentence."
    )


class CommitmentSeed(Strict):
    id: str = Field(description="Stable public id: document year, section letter if any, position: 2002-A4.")
    title: str
    titles: Translations = Field(
        default_factory=dict, description="The team's title in French and Japanese (shown marked as a translation)."
    )
    section: str = Field(description="The section heading as printed in the document.")
    text: str = Field(description="Verbatim from the source document: a substring of it.")
    areas: list[Key] = Field(min_length=1, description="Area keys; the first is the primary area.")
    kind: Kind
    dates_stated: list[str] = Field(default_factory=list, description="Date and cadence phrases, verbatim.")
    due: Edtf | None = Field(default=None, description="Deadlines and one-time events: when, as EDTF.")
    mechanism: Key | None = None
    organisations: list[str] = Field(default_factory=list)
    owners: list[Key] = Field(default_factory=list, description="Department keys.")
    related: list[str] = Field(default_factory=list, description="Ids of commitments on the same theme elsewhere.")
    # Lineage across documents: an earlier commitment this one carries on, changes or replaces is no
    # longer the current one (handlers/domain/lineage.py); lookups show this one first, with where it comes from.
    continues: list[str] = Field(default_factory=list, description="Ids of earlier commitments it carries on.")
    updates: list[str] = Field(default_factory=list, description="Ids of earlier commitments whose terms it changes.")
    supersedes: list[str] = Field(default_factory=list, description="Ids of earlier commitments it replaces.")
    # Sub-steps: the parts of one undertaking, with its owners and status (a treaty's stages are
    # its steps too, recorded apart: models.tables.CommitmentStage). Separate undertakings with
    # owners or a status of their own are separate commitments instead (see SplitSeed).
    steps: list[StepSeed] = Field(default_factory=list, description="The undertaking's sub-steps, in order.")
    official: dict[Language, OfficialSeed] = Field(
        default_factory=dict, description="Official French or Japanese texts of the agreement, with their sources."
    )

    @property
    def lineage(self) -> dict[str, list[str]]:
        return {k: v for k in ("continues", "updates", "supersedes") if (v := getattr(self, k))}

    @model_validator(mode="after")
    def _check_id(self) -> CommitmentSeed:
        if not _COMMITMENT_ID.match(self.id):
            raise ValueError(f"commitment id {self.id!r} should look like 1999-3 or 2002-A4")
        return self

    @model_validator(mode="after")
    def _check_kind(self) -> CommitmentSeed:
        # A dated target ("by the end of 2003", "results by the September 2005 Summit") is a
        # deadline: it is flagged overdue when it passes with no outcome. A one-time event is
        # the thing itself happening (a symposium, a conference), and is only ever "past".
        if self.kind != Kind.deadline and self.due and is_dated_target(self.title, self.dates_stated):
            raise ValueError(f"{self.id} states a dated target ({self.title!r}): its kind is deadline")
        if self.kind == Kind.deadline and not self.due:
            raise ValueError(f"{self.id} is a deadline without a due date")
        return self


_TARGET = re.compile(r"\b(?:by|before|no later than)\s+(?:the\s+)?(?:end\b|end-|[a-z]+\s+\d{4}|\d{4})", re.IGNORECASE)


def is_dated_target(title: str, dates_stated: list[str]) -> bool:
    """Whether the words set a date to reach something by: 'by end-2003', 'by the September 2005 Summit'."""
    return any(_TARGET.search(text) for text in [title, *dates_stated])


class DocumentCommitments(Strict):
    document: Key
    commitments: list[CommitmentSeed]
    splits: list[SplitSeed] = Field(default_factory=list)


class CadenceSeed(Strict):
    rrule: RRule = Field(description="RFC 5545 RRULE, e.g. FREQ=YEARLY;INTERVAL=2.")
    stated: str = Field(description="The cadence as the document words it.")
    commitment: str = Field(description="Id of the commitment that states it.")
    effective: Edtf = Field(description="From when it applies (the stating document's date).")


class OccurrenceSeed(Strict):
    date: Edtf
    place: str | None = None
    host: Country | None = None
    note: str = ""
    commitment: str = Field(description="Id of the commitment that records it.")
    planned_only: bool = Field(
        default=False, description="True when the document announces it but no later source confirms it happened."
    )


class MechanismSeed(Strict):
    key: Key
    name: str
    names: Translations = Field(default_factory=dict, description="The name in French and Japanese.")
    aliases: list[str] = Field(default_factory=list)
    areas: list[Key] = Field(min_length=1)
    owners: list[Key] = Field(default_factory=list)
    alternates_host: bool = Field(default=False, description="Canada and Japan take turns hosting.")
    usual_season: Edtf | None = Field(default=None, description="When in the year it tends to fall, e.g. '2000-23'.")
    cadences: list[CadenceSeed] = Field(default_factory=list)
    occurrences: list[OccurrenceSeed] = Field(default_factory=list)


class Catalogue(Strict):
    documents: list[DocumentSeed]
    areas: list[AreaSeed]
    departments: list[DepartmentSeed]
    mechanisms: list[MechanismSeed]
