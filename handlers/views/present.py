"""Commitment records → reply items, worded the same everywhere.

In the reader's language: the document's short title and the item's title as the team wrote them
in French or Japanese (handlers/views/names.py), the title marked as the team's translation; the
agreed text as written, labelled as the agreed text in English, or, where an official text in the
reader's language has been attached, that text marked official with its source, the English beside
it (``show``) or pointed to (lists). The marks go on the item's source line, which every platform
shows under the text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from handlers.views import i18n
from handlers.views.dates import fuzzy_wording
from handlers.views.i18n import N_, _
from handlers.views.names import EMPTY, NameBook, Official
from handlers.views.reply import Action, ActionKind, Citation, Fact, Item
from models.repository import CommitmentRecord
from models.tables import Document
from scheduling.fuzzy import FuzzyDate

if TYPE_CHECKING:  # the view model sits below the domain: it is handed a timeline, never imports one
    from handlers.domain.timeline import Timeline

TRIM_AT = 500  # characters of agreed text shown in a list; `show` gives all

AGREED_IN_ENGLISH = N_("Agreed text (English)")
TITLE_TRANSLATED = N_("title translated by the team")
OFFICIAL_IN = {  # by the official text's language
    i18n.FRENCH: N_("Official French text (source: {source})"),
    i18n.JAPANESE: N_("Official Japanese text (source: {source})"),
}

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


def citation(document: Document, section: str, names: NameBook = EMPTY, note: str = "") -> Citation:
    return Citation(names.of(document), fuzzy_wording(FuzzyDate.parse(document.date_edtf)), section, note)


def owners_wording(record: CommitmentRecord, names: NameBook = EMPTY) -> str:
    if not record.owners:
        return _("no owner yet")
    return ", ".join(names.owner(o) for o in record.owners)


def official_wording(official: Official) -> str:
    """ "Official French text (source: …)", in the reader's language."""
    return _(OFFICIAL_IN[official.language]).format(source=official.source)


def text_marks(record: CommitmentRecord, names: NameBook, *, full: bool) -> tuple[str, Official | None]:
    """What the source line says of the words shown (nothing for an English reader), and the official
    text in the reader's language when one is attached."""
    c = record.commitment
    if i18n.current() == i18n.ENGLISH:
        return "", None
    official = names.official(c.key)
    marks = []
    if official is None:
        marks.append(_(AGREED_IN_ENGLISH))
    else:
        marks.append(official_wording(official))
        if not full:  # show gives the English beside it
            command = i18n.commands_in(f"`/agenda show {c.key}`")  # `/agenda voir …`
            marks.append(_("agreed text in English: {command}").format(command=command))
    if names.title_translated(c):
        marks.append(_(TITLE_TRANSLATED))
    return " · ".join(marks), official


def item(record: CommitmentRecord, timeline: Timeline, *, full: bool = False) -> Item:
    c, names = record.commitment, timeline.names
    facts = [Fact(_("Status"), timeline.status(c)), Fact(_("Owners"), owners_wording(record, names))]
    if full and len(timeline.stages.get(c.id, ())) > 1:  # the latest is in the status; all of them here
        facts.append(Fact(_("Stages"), timeline.stage_history(c)))
    next_date = timeline.next_date(record)
    if next_date:
        facts.append(Fact(_("Next"), next_date.wording))
    elif c.mechanism_id:
        facts.append(Fact(_("Next"), timeline.mechanism_next_wording(c.mechanism_id)))
    note, official = text_marks(record, names, full=full)
    text, trimmed = (official.text if official else c.text), False
    if official and full:  # the agreed text stays authoritative: beside the official one, in full
        facts.append(Fact(_(AGREED_IN_ENGLISH), c.text))
    if full:  # the official texts in the other languages exist too: say so, with their words and source
        facts += [Fact(official_wording(other), other.text) for other in names.officials_besides(c.key)]
    if not full and len(text) > TRIM_AT:
        text, trimmed = _trim(text), True
    return Item(
        id=c.key,
        title=names.of(c),
        text=text,
        citation=citation(record.document, c.section, names, note),
        facts=facts,
        trimmed=trimmed,
        action=None if full else Action(ActionKind.show, _("Full text") if trimmed else _("Details"), f"show {c.key}"),
    )


def _trim(text: str) -> str:
    cut = text[:TRIM_AT].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
