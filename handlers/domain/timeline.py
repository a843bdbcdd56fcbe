"""What is next for each mechanism and where each commitment stands, today.

A Timeline is built once per request from the mechanisms and the injected
clock's date; handlers ask it for the status and next-date wording of each
commitment so every reply says the same thing the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from handlers.views import i18n
from handlers.views.dates import fuzzy_wording, moment, when
from handlers.views.i18n import N_, _, ngettext
from handlers.views.names import EMPTY as EMPTY_NAMES
from handlers.views.names import NameBook
from models import repository, translations
from models.repository import CommitmentRecord, MechanismRecord
from models.tables import CLOSED, Commitment, Kind, Occurrence, Stage, Status
from scheduling.capitals import DEFAULT_CAPITALS, Capitals
from scheduling.fuzzy import FuzzyDate
from scheduling.projection import COUNTRY_NAMES, CadenceRule, PastOccurrence, Projection, project_next

STATUS_WORDS = {  # in English; _() gives the reader's
    Status.unknown: N_("status unknown (no outcome on record)"),
    Status.not_started: N_("not started"),
    Status.in_progress: N_("in progress"),
    Status.done: N_("done"),
    Status.stalled: N_("stalled"),
    Status.dropped: N_("dropped"),
}


@dataclass(frozen=True)
class NextDate:
    """A next date, worded when it is shown (in the reader's language: the timeline is kept for everyone)."""

    starts_on: date | None
    ends_on: date | None
    edtf: str  # a fixed date as agreed, or a projection's window ("2026-23" = autumn 2026, "2027")
    fixed: bool  # a date people agreed, not a projection
    capitals: Capitals = DEFAULT_CAPITALS
    place: str | None = None
    host: str | None = None  # the host's country code: as agreed (fixed), or expected (projected)
    at: datetime | None = None  # a fixed meeting's time, when one was fixed (UTC)

    @property
    def label(self) -> str:
        """Just the date: "Thu 14 Oct 2027", "autumn 2026"; with a time, in both capitals:
        "Wed 13 Oct 2027 20:30 Ottawa · Thu 14 Oct 2027 09:30 Tokyo"."""
        if self.fixed and self.at is not None:
            return moment(self.at, self.capitals, year=True)
        return when(self.edtf, self.capitals) if self.fixed else fuzzy_wording(FuzzyDate.parse(self.edtf))

    @property
    def host_words(self) -> str:
        """ "; host Canada", "; expected host Japan", or nothing."""
        if not self.host:
            return ""
        country = _(COUNTRY_NAMES[self.host]) if self.host in COUNTRY_NAMES else self.host
        return (_("; host {country}") if self.fixed else _("; expected host {country}")).format(country=country)

    @property
    def wording(self) -> str:
        """ "Thu 14 Oct 2027 in Ottawa; host Canada", "autumn 2026, projected, not yet fixed"."""
        if not self.fixed:
            return _("{when}, projected, not yet fixed").format(when=self.label) + self.host_words
        text = self.label
        if self.place:
            text = _("{when} in {place}").format(when=text, place=self.place)
        return text + self.host_words

    @property
    def sort_key(self) -> date:
        return self.starts_on or self.ends_on or date.max

    def falls_within(self, today: date, horizon: date) -> bool | None:
        """Whether it falls in the period from today to horizon (both included).

        True when every day it may still fall on lies in the period: a fixed day,
        or a window (a month, a season, a year) whose days from today on all do.
        False when only some do: a meeting projected to "2027" may or may not
        meet in the next six months, so it is never listed as falling in them
        (callers show it apart, "sometime in 2027, date not yet fixed").
        None when it cannot fall in the period at all.
        """
        first = max(self.starts_on or today, today)
        last = self.ends_on
        if (last is not None and last < today) or first > horizon:
            return None
        return last is not None and last <= horizon

    @property
    def sometime(self) -> str:
        """A window as a reader should take it: 'sometime in 2027, date not yet fixed'
        (a projection), 'sometime in Oct 2027, day not yet fixed' (a month agreed)."""
        if self.fixed:
            return _("sometime in {when}, day not yet fixed").format(when=self.label)
        return _("sometime in {when}, date not yet fixed").format(when=self.label)


@dataclass(frozen=True)
class MechanismOutlook:
    record: MechanismRecord
    next: NextDate | None
    projection: Projection | None


class Timeline:
    def __init__(
        self,
        mechanisms: list[MechanismRecord],
        today: date,
        capitals: Capitals = DEFAULT_CAPITALS,
        stages: Mapping[int, list[tuple[str, str]]] | None = None,
        names: NameBook = EMPTY_NAMES,
    ) -> None:
        self.today = today
        # The team's French and Japanese names and titles, and official texts, of this agenda revision:
        # kept with the timeline because everything that words the agenda is handed one.
        self.names = names
        self.capitals = capitals  # every day shown is flagged when either country is off
        self.outlooks = {m.mechanism.id: self._outlook(m) for m in mechanisms}
        self.stages = stages or {}  # commitment id → [(stage, EDTF)], in the order stages come

    @classmethod
    def load(cls, session: Session, today: date, capitals: Capitals = DEFAULT_CAPITALS) -> Timeline:
        """The timeline of the agenda as stored: its meetings and its treaties' stages."""
        return cls(
            repository.load_mechanisms(session=session),
            today,
            capitals,
            repository.stages_by_commitment(session=session),
            NameBook(translations.all_translations(session=session)),
        )

    # -- mechanisms -------------------------------------------------------------

    def _outlook(self, record: MechanismRecord) -> MechanismOutlook:
        upcoming = [o for o in record.occurrences if is_upcoming(o, self.today)]
        if upcoming:
            return MechanismOutlook(record, _fixed(upcoming[0], self.capitals), None)
        projection = project_next(
            cadences=[CadenceRule(c.rrule, c.stated, c.effective_on) for c in record.cadences],
            history=[as_past(o) for o in record.occurrences if o.starts_on <= self.today or o.not_held],
            today=self.today,
            alternates_host=record.mechanism.alternates_host,
            usual_season=season_code(record.mechanism.usual_season),
        )
        if projection is None:
            return MechanismOutlook(record, None, None)
        next_date = NextDate(projection.starts_on, projection.ends_on, projection.edtf, False, host=projection.host)
        return MechanismOutlook(record, next_date, projection)

    def outlook(self, mechanism_id: int) -> MechanismOutlook | None:
        return self.outlooks.get(mechanism_id)

    # -- commitments ------------------------------------------------------------

    def next_date(self, record: CommitmentRecord) -> NextDate | None:
        c = record.commitment
        if c.mechanism_id and c.kind == Kind.recurring_mechanism:
            outlook = self.outlooks.get(c.mechanism_id)
            return outlook.next if outlook else None
        if c.due_end and c.due_end >= self.today and c.status not in CLOSED:
            return NextDate(c.due_start, c.due_end, c.due_edtf, True, self.capitals)
        return None

    def is_overdue(self, commitment: Commitment) -> bool:
        return (
            commitment.kind == Kind.deadline
            and commitment.due_end is not None
            and commitment.due_end < self.today
            and commitment.status not in CLOSED
        )

    def stage(self, commitment: Commitment) -> str | None:
        """A treaty's latest stage and its date, which are its status to a reader: 'signed on Mon 24 May 2010'."""
        stages = self.stages.get(commitment.id)
        return stage_wording(*stages[-1]) if stages else None

    def stage_history(self, commitment: Commitment) -> str | None:
        """'negotiations launched in Oct 2003 → signed on Mon 24 May 2010 → in force since Fri 1 Jul 2011'."""
        stages = self.stages.get(commitment.id)
        return " → ".join(stage_wording(s, on) for s, on in stages) if stages else None

    def status(self, commitment: Commitment) -> str:
        words = _(STATUS_WORDS[Status(commitment.status)])
        if stage := self.stage(commitment):
            words = f"{stage}, {words}"
        if self.is_overdue(commitment):
            return _("overdue (due {when}), {status}").format(when=self.when(commitment.due_edtf), status=words)
        if commitment.kind == Kind.one_time_event and commitment.due_end and commitment.due_end < self.today:
            return _("past event ({when}), {status}").format(when=self.when(commitment.due_edtf), status=words)
        return words

    def when(self, edtf: str) -> str:
        """An agenda date in words, flagged when it is a day off in either country (handlers/views/dates.py)."""
        return when(edtf, self.capitals)

    def meeting_when(self, occurrence: Occurrence) -> str:
        """A meeting's date in words (as ``when``), or, when its time was fixed, its time in both capitals, each
        side's day flagged when it is off there: "Sun 7 Nov 2027 19:00 Ottawa · Mon 8 Nov 2027 09:00 Tokyo ⚠ …"."""
        if occurrence.starts_at is not None:
            return moment(occurrence.starts_at, self.capitals, year=True)
        return when(occurrence.date_edtf, self.capitals)

    def mechanism_next_wording(self, mechanism_id: int) -> str:
        outlook = self.outlooks.get(mechanism_id)
        if outlook is None or outlook.next is None:
            return _("no cadence stated and no date on record")
        return outlook.next.wording


def is_upcoming(occurrence: Occurrence, today: date) -> bool:
    """A date fixed ahead (or still running): not an announcement, not a record (held or not held)."""
    return occurrence.ends_on >= today and not occurrence.planned_only and occurrence.held is None


def as_past(occurrence: Occurrence) -> PastOccurrence:
    """A record as the projection counts from it (scheduling/projection.py)."""
    label = FuzzyDate.parse(occurrence.date_edtf).describe()
    return PastOccurrence(
        occurrence.starts_on, occurrence.ends_on, occurrence.host, label, not occurrence.not_held, occurrence.date_edtf
    )


def projection_basis(projection: Projection) -> str:
    """What a projection assumed, in one sentence in the reader's language (scheduling/projection.py)."""
    last, unknown, ahead, alternates, anchor_host, unknown_since_host = projection.assumed
    rule = projection.cadence
    if last is not None:
        since = fuzzy_wording(FuzzyDate.parse(last.edtf)) if last.edtf else last.label
        if last.held:
            text = _("Cadence “{cadence}”, counted from the last recorded meeting ({when})")
        else:
            text = _("Cadence “{cadence}”, counted from the last record, not held ({when})")
        text = text.format(cadence=rule.stated, when=since)
        if unknown:
            text += ngettext(
                "; {n} meeting was due since then with no record, held or not: unknown",
                "; {n} meetings were due since then with no record, held or not: unknown",
                unknown,
            ).format(n=unknown)
    else:
        text = _("No meeting is on record; cadence “{cadence}” counted from {year}, when it was agreed").format(
            cadence=rule.stated, year=rule.effective_on.year
        )
    if ahead:
        whens = ", ".join(fuzzy_wording(FuzzyDate.parse(edtf)) for edtf in ahead)
        text += ngettext(
            "; assumes the meeting projected before it ({whens}) take place",
            "; assumes the meetings projected before it ({whens}) take place",
            len(ahead),
        ).format(whens=whens)
    if alternates and anchor_host and unknown_since_host:
        text += ngettext(
            ". Hosts alternate between Canada and Japan, but with {n} meeting unrecorded since the last known host"
            " ({country}), the next host is unknown",
            ". Hosts alternate between Canada and Japan, but with {n} meetings unrecorded since the last known host"
            " ({country}), the next host is unknown",
            unknown_since_host,
        ).format(n=unknown_since_host, country=_(COUNTRY_NAMES[anchor_host]))
    elif alternates and anchor_host:
        text += _(". Hosts alternate between Canada and Japan")
    elif alternates:
        text += _(". Hosts alternate, but no host is on record")
    return text + _(".")


def _fixed(occurrence: Occurrence, capitals: Capitals) -> NextDate:
    return NextDate(
        occurrence.starts_on,
        occurrence.ends_on,
        occurrence.date_edtf,
        True,
        capitals,
        occurrence.place,
        occurrence.host,
        occurrence.starts_at,
    )


STAGE_WORDS = {
    Stage.negotiations_launched: N_("negotiations launched"),
    Stage.concluded: N_("concluded"),
    Stage.signed: N_("signed"),
    Stage.in_force: N_("in force"),
}


def stage_wording(stage: str, on_edtf: str) -> str:
    """'signed on Mon 24 May 2010', 'concluded in Oct 2009', 'in force since Fri 1 Jul 2011'.

    Not flagged for holidays: it says what happened, and a warning helps someone choosing a day."""
    fuzzy = FuzzyDate.parse(on_edtf)
    if i18n.current() == i18n.ENGLISH:
        preposition = "since" if Stage(stage) == Stage.in_force else ("on" if fuzzy.is_day else "in")
        return f"{STAGE_WORDS[Stage(stage)]} {preposition} {fuzzy.describe()}"
    if Stage(stage) == Stage.in_force:
        wording = _("in force since {date}")
    else:
        wording = _("{stage} on {date}") if fuzzy.is_day else _("{stage} in {date}")
    return wording.format(stage=_(STAGE_WORDS[Stage(stage)]), date=fuzzy_wording(fuzzy))


# The note the bot writes on a commitment when a stage is recorded (handlers/commands/changes.py): the stage and
# its date in the record's words, `signed (Mon 24 May 2010)`, then the coordinator's note as typed. It stays so in
# the record (exports, notes written before); a reader of another language reads it in theirs (stage_note_wording).
_STAGE_NOTE = re.compile(
    "^(" + "|".join(re.escape(words) for words in STAGE_WORDS.values()) + r") \(([^()]+)\)(?:: (.*))?$", re.DOTALL
)


def stage_note(stage: str, on_edtf: str, note: str) -> str:
    """The note stored when a stage is recorded: `signed (Mon 24 May 2010): per the joint statement`."""
    said = f"{STAGE_WORDS[Stage(stage)]} ({FuzzyDate.parse(on_edtf).describe()})"  # stored: no holiday flag
    return f"{said}: {note}" if note else said


def stage_note_wording(text: str) -> str:
    """A note the bot wrote for a stage (stage_note), in the reader's language: `signé le lun. 24 mai 2010 : per
    the joint statement`, the typed part as typed. Any other note, as it is."""
    from handlers.domain.when import find_when  # the parser's reading of dates; it imports nothing of this module

    found = _STAGE_NOTE.match(text)
    if found is None or i18n.current() == i18n.ENGLISH:
        return text
    stage = next(stage for stage, words in STAGE_WORDS.items() if words == found[1])
    when = find_when(found[2].split())
    # Only a date read back to the very words the bot wrote: anything else is a person's note, shown as typed
    if when is None or stage_note(stage, when[2], "") != f"{found[1]} ({found[2]})":
        return text
    said = stage_wording(stage, when[2])
    return _("{stage}: {note}").format(stage=said, note=found[3]) if found[3] else said


def season_code(edtf: str | None) -> int | None:
    if not edtf:
        return None
    parts = edtf.rstrip("?~").split("-")
    return int(parts[1]) if len(parts) == 2 and int(parts[1]) in (21, 22, 23, 24) else None
