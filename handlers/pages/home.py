"""A person's home: what is overdue, what is due for them in the next 30 days
and everything else they own, each item with a status control where they may
set its status.

Slack shows it in the App Home tab. Only that person sees it, so everything
they own appears, restricted items included.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.commands.parser import STATUS_BY_WORDS
from handlers.domain.context import Context
from handlers.domain.languages import status_line
from handlers.domain.permissions import at_least
from handlers.domain.ports import Ports, Requester
from handlers.views import i18n, present
from handlers.views.i18n import N_, _, ngettext
from handlers.views.reply import Reply, Section, Tone
from models import repository
from models.repository import CommitmentRecord
from models.tables import Role

TITLE = N_("Your agenda")
SOON = timedelta(days=30)
# Items shown at once. Slack's Home tab holds 100 blocks; an item takes two and
# the headings a few, so 30 leaves room, and a longer list is better paged by
# `/agenda mine` than scrolled here.
MAX_SHOWN = 30
# What a status control offers: the words `/agenda status` takes → Status values.
STATUS_CHOICES = STATUS_BY_WORDS

NOTHING_OWNED = N_(
    "Coordinators assign owners with `/agenda assign <id> @person` (for example `/agenda assign 2002-A4 @maria`); "
    "what you own then shows here, with what is overdue and what is due soon. Until people are assigned, "
    "departments own the commitments: `/agenda owner <department>` lists them, for example `/agenda owner DND`."
)


@dataclass(frozen=True)
class HomeView:
    reply: Reply  # title, summary and sections of items, worded like every other answer
    status_controls: dict[str, str]  # commitment key → its status now, for the shown items whose status they may set


def home(ports: Ports, requester: Requester) -> HomeView:
    """Their home, in their language (handlers/domain/languages.py), with that language and how to change it."""
    from handlers import language_of_requester

    with i18n.speaking(language_of_requester(ports, requester)):
        view = _home(ports, requester)
        with ports.open_session() as session:
            language = status_line(session, requester)
        reply = dataclasses.replace(view.reply, summary=f"{view.reply.summary}\n{language}")
        return dataclasses.replace(view, reply=reply)


def _home(ports: Ports, requester: Requester) -> HomeView:
    with ports.open_session() as session:
        ctx = Context(session, ports, requester)
        # Owned directly or through a meeting. No visibility filter: they own all of it.
        ids = repository.commitment_ids_owned_by(session=session, refs=ctx.identities)
        if not ids:
            summary = _("You own nothing on the agenda yet.")
            return HomeView(Reply(_(TITLE), summary, [Section(body=_(NOTHING_OWNED))], tone=Tone.notice), {})
        records = repository.load_commitments(session=session, ids=ids)
        groups = _grouped(records, ctx)
        settable = _status_settable(ctx, ids)
        sections, controls, room = [], {}, MAX_SHOWN
        for heading, group in groups.items():
            shown = group[:room]  # the most pressing first, while there is room
            room -= len(shown)
            if shown:
                sections.append(Section(heading=_(heading), items=[present.item(r, ctx.timeline) for r in shown]))
                controls |= {r.commitment.key: r.commitment.status for r in shown if r.commitment.id in settable}
    if len(records) > MAX_SHOWN:
        left_out = len(records) - MAX_SHOWN
        sections.append(
            Section(
                body=_("{n} more not shown here: `/agenda mine` lists all you own, page by page.").format(n=left_out)
            )
        )
    reply = Reply(title=_(TITLE), summary=_summary(len(records), groups), sections=sections)
    return HomeView(reply, controls)


def _grouped(records: list[CommitmentRecord], ctx: Context) -> dict[str, list[CommitmentRecord]]:
    """Overdue (oldest deadline first), due soon (soonest first), then the rest in agenda order.

    A meeting's next date is fixed or projected; a projected window counts as due
    soon only when every day it may still fall on is in the next 30 days (autumn
    2026 on 22 Nov 2026: yes; "2027": no, it stays with the rest, worded as projected).
    """
    horizon = ctx.today + SOON
    overdue, soon, rest = [], [], []
    for record in records:
        next_date = ctx.timeline.next_date(record)
        if ctx.timeline.is_overdue(record.commitment):
            overdue.append(record)
        elif next_date and next_date.falls_within(ctx.today, horizon):
            soon.append((next_date.sort_key, record))
        else:
            rest.append(record)
    overdue.sort(key=lambda r: r.commitment.due_end or date.min)
    soon.sort(key=lambda pair: pair[0])
    return {N_("Overdue"): overdue, N_("Due in the next 30 days"): [r for _n, r in soon], N_("Yours"): rest}


def _status_settable(ctx: Context, ids: list[int]) -> set[int]:
    """Where a status control would work: set_status's rule (coordinators, admins,
    and the commitment's own owners; owning its meeting is not enough). A control
    that could only be refused is not offered; set_status still checks every choice."""
    if at_least(ctx.role, Role.coordinator):
        return set(ids)
    return repository.commitment_ids_owned_directly(session=ctx.session, refs=ctx.identities, among=ids)


def _summary(total: int, groups: dict[str, list[CommitmentRecord]]) -> str:
    owned = ngettext(
        "You own {n} commitment, directly or through the meetings you run",
        "You own {n} commitments, directly or through the meetings you run",
        total,
    ).format(n=total)
    overdue, soon = len(groups["Overdue"]), len(groups["Due in the next 30 days"])
    counts = [_("{n} overdue").format(n=overdue)] if overdue else []
    counts += [_("{n} due in the next 30 days").format(n=soon)] if soon else []
    if counts:
        return _("{owned}: {counts}.").format(owned=owned, counts=", ".join(counts))
    return _("{owned}; nothing is overdue or due in the next 30 days.").format(owned=owned)
