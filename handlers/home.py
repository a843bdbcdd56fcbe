"""A person's home view (Slack's App Home tab): what they own, what is due for
them in the next 30 days, what is overdue, with buttons to update status."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from handlers import present
from handlers.context import Context
from handlers.ports import Ports, Requester
from handlers.reply import Action, ActionKind, Item, Reply, Section, Tone
from models import repository

SOON = timedelta(days=30)
MAX_ITEMS = 20  # Slack's Home view holds 100 blocks; an item takes four
STATUS_BUTTONS = ["in progress", "done", "stalled"]


def home(ports: Ports, requester: Requester, *, notice: str | None = None) -> Reply:
    with ports.open_session() as session:
        ctx = Context(session, ports, requester)
        ids = ctx.visible(repository.commitment_ids_owned_by(session=session, refs=[requester.user_ref]))
        records = repository.load_commitments(session=session, ids=ids[:MAX_ITEMS])
        overdue, soon, rest = [], [], []
        for record in records:
            item = _with_buttons(present.item(record, ctx.timeline), record.commitment.key)
            nxt = ctx.timeline.next_date(record)
            if ctx.timeline.is_overdue(record.commitment):
                overdue.append(item)
            elif nxt and nxt.starts_on and nxt.starts_on <= ctx.today + SOON:
                soon.append(item)
            else:
                rest.append(item)
    sections = [Section(body=notice)] if notice else []
    if not records:
        sections.append(
            Section(
                body="You own nothing on the agenda yet. Coordinators assign owners with `/agenda assign`; "
                "until then departments own the commitments: try `/agenda owner GAC`."
            )
        )
    for heading, items in (("Overdue", overdue), ("Due in the next 30 days", soon), ("Yours", rest)):
        if items:
            sections.append(Section(heading=heading, items=items))
    if len(ids) > MAX_ITEMS:
        sections.append(Section(body=f"…and {len(ids) - MAX_ITEMS} more: `/agenda mine` lists them all."))
    return Reply(
        title="Your agenda",
        summary=f"{len(ids)} commitment{'s' if len(ids) != 1 else ''} you own, directly or through a meeting.",
        sections=sections,
        tone=Tone.answer,
    )


def _with_buttons(item: Item, key: str) -> Item:
    """The item's own action opens it; the status buttons go through `/agenda status`."""
    buttons = [Action(ActionKind.do, status.capitalize(), f"status {key} {status}") for status in STATUS_BUTTONS]
    return replace(item, buttons=buttons)
