"""A meeting's checklist: its preparation and follow-up steps, relative to the meeting's day.

What a checklist is and which meeting it is about; changing a step is `/agenda milestone`
(handlers/commands/milestones.py), its reminders are planned in scheduling/reminders.py and the
digest's lines in scheduling/meeting_digest.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from handlers.domain.timeline import is_upcoming
from handlers.views.i18n import N_, _, ngettext
from models import meetings
from models.repository import MechanismRecord
from models.tables import Milestone, Occurrence, OwnerKind


@dataclass(frozen=True)
class StepKind:
    key: str
    label: str  # the default's name, in English: shown through `name` (the reader's language)
    days: int  # relative to the meeting's day
    words: tuple[str, ...]  # what people type for it

    @property
    def name(self) -> str:
        """The step's name in the reader's language (a default's: translated by its key's label)."""
        return _(self.label)


DEFAULTS = (  # (each step's words in English, French and Japanese, matched with accents folded)
    StepKind("agenda", N_("Agenda proposals exchanged"), -30, ("agenda", "proposals", "agenda proposals",
                                                                "ordre du jour", "propositions", "議題", "議題案")),
    StepKind("briefing", N_("Briefing notes ready"), -14, ("briefing", "briefings", "briefing notes", "notes",
                                                           "breffage", "notes d'information", "ブリーフィング",
                                                           "説明資料")),
    StepKind("delegation", N_("Delegation list sent"), -7, ("delegation", "delegations", "delegation list", "list",
                                                            "liste", "liste de la délégation", "代表団", "代表団名簿")),
    StepKind("record", N_("Record of discussion agreed"), 14, ("record", "record of discussion", "minutes", "rod",
                                                               "compte rendu", "procès-verbal", "議事要旨", "議事録")),
)  # fmt: skip


FOLLOW_UP_DAYS = 30  # a past meeting keeps its checklist on its page this long after its last step


@dataclass(frozen=True)
class Step:
    kind: StepKind
    days: int
    due: date
    owners: tuple[str, ...]  # people to remind ("slack:U…"); empty: none is named (departments own it)
    owner_named: bool  # someone was named for this step, not just the meeting's owners
    done_at: datetime | None
    done_by: str | None

    def state(self, today: date) -> str:
        return "done" if self.done_at else ("late" if self.due < today else "due")

    @property
    def relative(self) -> str:
        n = abs(self.days)
        if self.days < 0:
            return ngettext("{n} day before", "{n} days before", n).format(n=n)
        return ngettext("{n} day after", "{n} days after", n).format(n=n)


@dataclass(frozen=True)
class Checklist:
    occurrence: Occurrence
    steps: list[Step]


def checklist_occurrence(record: MechanismRecord, today: date) -> Occurrence | None:
    """The meeting a checklist is about: the next one fixed to a day, or else the last one
    met on a day, while its follow-up is still recent."""
    days = [o for o in record.occurrences if o.starts_on == o.ends_on and not o.planned_only and not o.not_held]
    ahead = [o for o in days if is_upcoming(o, today)]
    if ahead:
        return ahead[0]
    last_step = max(k.days for k in DEFAULTS)
    recent = [o for o in days if o.starts_on <= today <= o.starts_on + timedelta(days=last_step + FOLLOW_UP_DAYS)]
    return recent[-1] if recent else None


def checklist(record: MechanismRecord, occurrence: Occurrence, rows: list[Milestone]) -> Checklist:
    people = tuple(o.ref for o in record.owners if o.kind == OwnerKind.user)
    changed = {row.key: row for row in rows}
    steps = []
    for kind in DEFAULTS:
        row = changed.get(kind.key)
        days = row.days if row else kind.days
        named = bool(row and row.owner_ref)
        steps.append(
            Step(kind, days, occurrence.starts_on + timedelta(days=days), (row.owner_ref,) if named else people,
                 named, row.done_at if row else None, row.done_by if row else None)
        )  # fmt: skip
    return Checklist(occurrence, sorted(steps, key=lambda s: s.days))


def checklists(ctx_session, records: list[MechanismRecord], today: date) -> dict[int, Checklist]:
    """Each mechanism's current checklist, by mechanism id, in one query for the rows."""
    current = {r.mechanism.id: (r, o) for r in records if (o := checklist_occurrence(r, today)) is not None}
    rows = meetings.milestones_of(session=ctx_session, occurrence_ids=[o.id for _r, o in current.values()])
    return {m_id: checklist(r, o, rows[o.id]) for m_id, (r, o) in current.items()}


def step_of(ref: str) -> tuple[str, str] | None:
    """'pol-mil-talks.briefing' → ('pol-mil-talks', 'briefing'), for a reminder's Mark done button."""
    key, _, step = ref.rpartition(".")
    return (key, step) if key and step in {k.key for k in DEFAULTS} else None
