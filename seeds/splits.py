"""Splitting a record that merged separate undertakings, in a database that holds it.

The seeds retire the merged id (``splits`` in seeds/agenda/commitments/*.yaml) and state
the parts, each with its own agreed text, owners and status; the seed loader creates the
parts, then calls ``carry_over`` before the merged record goes. What people set on it in
chat is not lost:

- a status set in chat goes to every part whose status nobody set (with its note);
- people and departments assigned in chat are assigned to every part (the parts' own
  departments come from their texts; a department removed from the merged record in chat
  is not removed from the parts, whose texts may name it);
- treaty stages, a restricted sensitivity, own reminder lead days and proposals for a
  meeting's agenda go to every part;
- a title or text edited in chat cannot be split by a program: it is kept, word for word,
  in the retired record (``CommitmentSplit.carried``), which `show <old id>` quotes.

Each part gets an audit entry saying what it received and from whom; the retired id gets
one naming the parts. The retired id's own history stays under it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, delete, select

from models.provenance import changes_by_target
from models.tables import (
    AuditEntry,
    Commitment,
    CommitmentArea,
    CommitmentStage,
    Origin,
    Owner,
    Proposal,
    Sensitivity,
)

ACTOR = "seeds"  # who splits: the curated seeds, loaded on start
ACTION = "split"
SETS = {"status": {"status", "stage"}, "owners": {"owners", "people", "departments"}}


def carry_over(session: Session, merged: Commitment, parts: list[Commitment], *, now: datetime) -> list[dict]:
    """Give each part what people set on the merged record; delete it; return what went where."""
    keys = [p.key for p in parts]
    history = changes_by_target(session=session, keys=[merged.key]).get(merged.key, [])
    carried: list[dict] = []
    after: dict[str, dict] = {p.key: {} for p in parts}

    def said(fact: str) -> dict:
        entry = next((e for e in reversed(history) if SETS[fact] & set(e.after)), None)
        return {"by": entry.actor_ref, "on": entry.at.date().isoformat()} if entry else {}

    if merged.status_origin != Origin.seed:
        to = [p for p in parts if p.status_origin == Origin.seed]
        for part in to:
            part.status, part.status_note, part.status_origin = merged.status, merged.status_note, merged.status_origin
            part.updated_at = now
            after[part.key]["status"] = str(merged.status)
        carried.append({"field": "status", "value": str(merged.status), "note": merged.status_note,
                        "to": [p.key for p in to], **said("status")})  # fmt: skip
    owners = session.exec(select(Owner).where(Owner.commitment_id == merged.id)).all()
    chosen = [o for o in owners if o.origin != Origin.seed]
    if chosen or merged.owners_origin != Origin.seed:  # a department removed in chat: said, not carried
        for part in parts:
            have = {(o.kind, o.ref) for o in session.exec(select(Owner).where(Owner.commitment_id == part.id))}
            for owner in chosen:
                if (owner.kind, owner.ref) not in have:
                    session.add(Owner(commitment_id=part.id, kind=owner.kind, ref=owner.ref,
                                      display_name=owner.display_name, origin=owner.origin))  # fmt: skip
            part.owners_origin = merged.owners_origin
            after[part.key]["owners"] = [o.display_name for o in chosen]
        carried.append({"field": "owners", "value": [o.display_name for o in chosen], "to": keys, **said("owners")})
    stages = session.exec(select(CommitmentStage).where(CommitmentStage.commitment_id == merged.id)).all()
    for stage in stages:
        for part in parts:
            session.add(CommitmentStage(commitment_id=part.id, stage=stage.stage, on_edtf=stage.on_edtf,
                                        source_note=stage.source_note, recorded_by=stage.recorded_by,
                                        recorded_at=stage.recorded_at))  # fmt: skip
            after[part.key].setdefault("stage", str(stage.stage))
    if stages:
        carried.append({"field": "stages", "value": [f"{s.stage} {s.on_edtf}" for s in stages], "to": keys})
    if merged.sensitivity != Sensitivity.public:  # a restricted record's parts stay restricted
        for part in parts:
            part.sensitivity = merged.sensitivity
            after[part.key]["sensitivity"] = str(merged.sensitivity)
        carried.append({"field": "sensitivity", "value": str(merged.sensitivity), "to": keys})
    if merged.reminder_lead_days is not None:
        for part in parts:
            part.reminder_lead_days = list(merged.reminder_lead_days)
        carried.append({"field": "reminders", "value": list(merged.reminder_lead_days), "to": keys})
    proposals = session.exec(select(Proposal).where(Proposal.commitment_id == merged.id)).all()
    for proposal in proposals:
        for part in parts:
            session.add(Proposal(mechanism_id=proposal.mechanism_id, commitment_id=part.id,
                                 proposed_on=proposal.proposed_on, proposed_by=proposal.proposed_by,
                                 proposed_at=proposal.proposed_at))  # fmt: skip
    if proposals:
        carried.append({"field": "proposals", "value": len(proposals), "to": keys})
    if merged.content_origin == Origin.bot:  # an edit in chat: kept whole, not carried
        carried.append({"field": "text", "value": merged.text, "title": merged.title, "to": []})
    for part in parts:
        session.add(part)
        session.add(_entry(now, part.key, {}, after[part.key], f"split from {merged.key}"))
    session.add(_entry(now, merged.key, {"id": merged.key}, {"into": keys}, f"split into {', '.join(keys)}"))
    session.flush()
    for table in (CommitmentArea, Owner, CommitmentStage, Proposal):
        session.exec(delete(table).where(table.commitment_id == merged.id))
    session.delete(merged)
    session.flush()
    return carried


def _entry(now: datetime, key: str, before: dict, after: dict, note: str) -> AuditEntry:
    return AuditEntry(at=now, actor_ref=ACTOR, origin=f"{ACTION}:seeds", action=ACTION, target_type="commitment",
                      target_key=key, before=before, after=after, note=note)  # fmt: skip
