"""Commitment records → reply items, worded the same everywhere."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from handlers.views.dates import fuzzy_wording
from handlers.views.i18n import N_, _
from handlers.views.reply import Action, ActionKind, Citation, Fact, Item
from models.repository import CommitmentRecord
from models.tables import Document
from scheduling.fuzzy import FuzzyDate

if TYPE_CHECKING:  # the view model sits below the domain: it is handed a timeline, never imports one
    from handlers.domain.timeline import Timeline

TRIM_AT = 500  # characters of agreed text shown in a list; `show` gives all

# The notes the bot itself writes on a meeting's record (handlers/commands/changes.py, held.py): stored in
# English, as data other code reads ("fixed by" marks a date someone fixed), worded here in the reader's
# language. Any other note is the person's own words, shown as written.
_BOT_NOTE = re.compile(r"^(?P<verb>fixed|recorded) by (?P<who><@[^>]+>)$")
_BOT_NOTE_WORDS = {"fixed": N_("fixed by {who}"), "recorded": N_("recorded by {who}")}


def meeting_note(note: str) -> str:
    """A meeting record's note for the reader: the bot's own words translated, a person's as written."""
    found = _BOT_NOTE.match(note.strip())
    if found is None:
        return note
    words = _BOT_NOTE_WORDS[found.group("verb")]
    return _(words).format(who=found.group("who"))


def citation(document: Document, section: str) -> Citation:
    return Citation(document.short_title, fuzzy_wording(FuzzyDate.parse(document.date_edtf)), section)


def owners_wording(record: CommitmentRecord) -> str:
    if not record.owners:
        return _("no owner yet")
    return ", ".join(o.display_name for o in record.owners)


def item(record: CommitmentRecord, timeline: Timeline, *, full: bool = False) -> Item:
    c = record.commitment
    facts = [Fact(_("Status"), timeline.status(c)), Fact(_("Owners"), owners_wording(record))]
    if full and len(timeline.stages.get(c.id, ())) > 1:  # the latest is in the status; all of them here
        facts.append(Fact(_("Stages"), timeline.stage_history(c)))
    next_date = timeline.next_date(record)
    if next_date:
        facts.append(Fact(_("Next"), next_date.wording))
    elif c.mechanism_id:
        facts.append(Fact(_("Next"), timeline.mechanism_next_wording(c.mechanism_id)))
    text, trimmed = c.text, False
    if not full and len(text) > TRIM_AT:
        text, trimmed = _trim(text), True
    return Item(
        id=c.key,
        title=c.title,
        text=text,
        citation=citation(record.document, c.section),
        facts=facts,
        trimmed=trimmed,
        action=None if full else Action(ActionKind.show, _("Full text") if trimmed else _("Details"), f"show {c.key}"),
    )


def _trim(text: str) -> str:
    cut = text[:TRIM_AT].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
