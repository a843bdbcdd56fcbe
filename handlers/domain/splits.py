"""Split records and sub-steps, as people read them.

A record that merged separate undertakings was split (seeds/splits.py): its old id still
answers, with a note naming the commitments it became (``retired``), and each of those says
where it came from (``split_from_fact``). A commitment's sub-steps (seeds/schema.py StepSeed)
and a treaty's stages count as its progress: "2 of 4 done".
"""

from __future__ import annotations

from handlers.domain.context import Context
from handlers.views.i18n import _
from handlers.views.reply import Action, ActionKind, Fact, Reply, Section, Tone
from models import repository
from models.splits import split_from, split_of
from models.tables import Commitment, Stage

TREATY_STAGES = list(Stage)


def retired(wanted: str, ctx: Context) -> Reply | None:
    """The answer to a retired id, whatever the command: what it became (as the audience may see it)."""
    split = split_of(session=ctx.session, key=wanted)
    if split is None:
        return None
    found = {k: i for k in split.successor_keys if (i := repository.get_commitment_id(session=ctx.session, key=k))}
    ids = ctx.visible(list(found.values()))
    if not ids:
        return None
    keys = [k for k, i in found.items() if i in ids]
    sections = [Section(items=ctx.items(ids))]
    if split.lead_in:
        sections.append(Section(heading=_("Words they share in the agreed text"), body=f"“{split.lead_in}”"))
    if len(keys) == len(found) and (lines := [_carried(c) for c in split.carried]):
        heading = _("What was set in chat on {id} before the split").format(id=split.key)
        sections.append(Section(heading=heading, body="\n".join(f"• {line}" for line in lines)))
    return Reply(
        title=_("“{id}” was split into {ids}").format(id=split.key, ids=", ".join(keys)),
        summary=_(
            "It merged separate undertakings; each now has its own agreed text, status and owners. "
            "Use their ids: `/agenda show {id}`."
        ).format(id=keys[0]),
        sections=sections,
        actions=[Action(ActionKind.show, k, f"show {k}") for k in keys],
        tone=Tone.notice,
    )


def _carried(carried: dict) -> str:
    to = ", ".join(carried.get("to", []))
    who = f" (<@{carried['by']}>, {carried['on']})" if carried.get("by") else ""
    field, value = carried["field"], carried.get("value")
    if field == "status":
        status = str(value).replace("_", " ")
        return _("Status “{status}”{who}: carried to {ids}.").format(status=status, who=who, ids=to)
    if field == "owners" and value:
        return _("Owners assigned in chat ({names}){who}: carried to {ids}.").format(
            names=", ".join(value), who=who, ids=to
        )
    if field == "owners":
        return _("Owners removed in chat: not carried; each part has the owners its own text gives.")
    if field == "stages":
        return _("Treaty stages ({stages}): carried to {ids}.").format(stages=", ".join(value), ids=to)
    if field == "sensitivity":
        return _("Restricted: so is each of {ids}.").format(ids=to)
    if field == "reminders":
        return _("Its own reminder days ({days}): carried to {ids}.").format(days=", ".join(map(str, value)), ids=to)
    if field == "proposals":
        return _("Proposed for a meeting's agenda: so is each of {ids}.").format(ids=to)
    return _("Its title and text as edited in chat are not carried (each part quotes the agreed text); they were: "
             "“{title}”: “{text}”").format(title=carried.get("title", ""), text=value)  # fmt: skip


def split_from_fact(ctx: Context, key: str) -> Fact | None:
    """On a part's `show`: the retired id it came from, and its other parts."""
    split = split_from(session=ctx.session, key=key)
    if split is None:
        return None
    # A restricted part is named only to whom may see it, as it is everywhere else.
    found = {
        k: i
        for k in split.successor_keys
        if k != key and (i := repository.get_commitment_id(session=ctx.session, key=k))
    }
    shown = set(ctx.visible(list(found.values())))
    others = [k for k, i in found.items() if i in shown]
    if not others:
        return Fact(_("Split from"), split.key)
    return Fact(_("Split from"), _("{id}, with {others}").format(id=split.key, others=", ".join(others)))


def progress(c: Commitment, stages: list[tuple[str, str]]) -> tuple[int, int] | None:
    """(done, total) of a commitment's sub-steps, or of a treaty's stages; None when it has neither."""
    if c.steps:
        return sum(1 for step in c.steps if step.get("done")), len(c.steps)
    if stages:
        reached = max(TREATY_STAGES.index(Stage(stage)) for stage, _on in stages)
        return reached + 1, len(TREATY_STAGES)
    return None


def step_facts(c: Commitment, stages: list[tuple[str, str]]) -> list[Fact]:
    counted = progress(c, stages)
    if counted is None:
        return []
    done, total = counted
    facts = [Fact(_("Progress"), _("{done} of {total} steps done").format(done=done, total=total))]
    if c.steps:
        lines = [
            ("✓ " if step.get("done") else "○ ") + step["text"] + (f" ({step['done']})" if step.get("done") else "")
            for step in c.steps
        ]
        facts.append(Fact(_("Steps"), "\n".join(lines)))
    return facts
