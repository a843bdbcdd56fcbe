"""Asking whether a meeting met: when a projected meeting's window has passed with no record
(held or not held), its owners and the coordinators' channel are asked, once, through the
outbox (scheduling/planner.py, record prompts), with Held / Not held / I don't know buttons;
and the digest lists the meetings whose last due meeting is not known to have taken place.

`/agenda unknown <meeting> <window>` is what "I don't know" sends (handlers/commands/held.py).
"""

from __future__ import annotations

from handlers.domain.when import find_when
from handlers.views import i18n
from handlers.views.dates import fuzzy_wording
from handlers.views.i18n import _
from handlers.views.reply import Action, ActionKind
from scheduling.fuzzy import FuzzyDate

SUFFIX = "unrecorded"  # the planner's ref for the question: "<meeting>.unrecorded"


# -- for the planner and the digest ----------------------------------------------------------


def unrecorded_items(timeline, people: dict, hidden: set[int]) -> list:
    """Each meeting whose latest projected window passed with no record, as a dated item the
    planner turns into one question per recipient (scheduling/reminders.py)."""
    from handlers.views.reply import Item
    from scheduling.planner import DueItem
    from scheduling.reminders import AgendaItem  # the planner's side imports this module

    items = []
    for m_id, outlook in timeline.outlooks.items():
        projection = outlook.projection
        if projection is None or not projection.unknown_windows:
            continue
        start, end, label = projection.unknown_windows[-1]
        mechanism = outlook.record.mechanism
        name = timeline.names.of(mechanism)
        due = DueItem(ref=f"{mechanism.key}.{SUFFIX}", title=name, kind="unrecorded", starts_on=start,
                      ends_on=end, owners=tuple(people.get(("mechanism", m_id), ())))  # fmt: skip
        detail = Item(id=mechanism.key, title=name, text=projection.basis, citation=None, quoted=False)
        items.append(AgendaItem(due, label, m_id in hidden, detail))
    return items


def prompt_wording(key: str, label: str, title: str) -> tuple[str, str, list[Action]]:
    """Title, hint and buttons of the question for one meeting (``key``) and window (``label``, English words
    the buttons' commands carry; shown in the reader's language)."""
    shown = window_wording(label)
    return (
        _("Did the {name} meet in {when}? Nothing is on record, held or not.").format(name=title, when=shown),
        _("With the day and place: `/agenda held {key} <date> in <place> host Canada|Japan number <n>`; "
          "if it did not meet: `/agenda not held {key} {window} <reason>`.").format(key=key, window=label),
        [
            Action(ActionKind.do, _("Held in {when}").format(when=shown), f"held {key} {label}"),
            Action(ActionKind.do, _("Held…"), f"held form {key} {label}"),  # the day and place, in a form
            Action(ActionKind.do, _("Not held"), f"not held {key} {label}"),
            Action(ActionKind.do, _("I don't know"), f"unknown {key} {label}"),
        ],
    )  # fmt: skip


def window_wording(label: str) -> str:
    """A window's label ("autumn 2026", "2026") in the reader's language: as it is in English."""
    if i18n.current() == i18n.ENGLISH:
        return label
    tokens = label.split()
    try:
        found = find_when(tokens)
    except ValueError:  # (the projection's labels are the bot's own: they read)
        return label
    if not found or found[0] != 0 or found[1] != len(tokens):
        return label
    return fuzzy_wording(FuzzyDate.parse(found[2]))


def unknown_names(meetings: dict) -> list[str]:
    """The meetings (of those a digest shows) whose latest due meeting is not on record, by their
    shortest usual name ("Pol-Mil"), in name order."""
    names = []
    for outlook in sorted(meetings.values(), key=lambda o: o.record.mechanism.name):
        projection = outlook.projection
        if projection is not None and projection.unknown_windows:
            mechanism = outlook.record.mechanism
            names.append(mechanism.aliases[0] if mechanism.aliases else mechanism.name)
    return names
