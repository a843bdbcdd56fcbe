"""Who may change what. Checked in the handlers, whatever front end asked.

| change                                   | who                                       |
|------------------------------------------|-------------------------------------------|
| role                                     | admins                                    |
| assign, unassign, schedule, add, edit,   | coordinators and admins                   |
| sensitivity, treaty stages               |                                           |
| status                                   | coordinators, admins, and the people who  |
|                                          | own that commitment                       |
| everything else (lookups, history)       | everyone, for what they may see           |
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel import Session

from handlers.views.i18n import N_, _
from handlers.views.reply import Reply, Section, Tone
from models.members import members_with, roles_of
from models.tables import Role

_RANK = {Role.member: 0, Role.coordinator: 1, Role.admin: 2}
_WHO = {Role.coordinator: N_("coordinators and admins"), Role.admin: N_("admins")}


def role_of(session: Session, identities: Sequence[str], admins: frozenset[str]) -> Role:
    """The highest role held by any of one person's identities (handlers/domain/identities.py)."""
    if not admins.isdisjoint(identities):
        return Role.admin
    granted = roles_of(session=session, identities=identities)
    return max((Role(r) for r in granted), key=_RANK.__getitem__, default=Role.member)


def at_least(role: Role, needed: Role) -> bool:
    return _RANK[role] >= _RANK[needed]


def refusal(
    session: Session, needed: Role, doing: str, admins: frozenset[str], values: Mapping[str, str] | None = None
) -> Reply:
    """Nothing changes; the reply names who can do it. ``doing`` is a message id (marked ``N_`` by the caller),
    translated here and filled with ``values``, so no part of the sentence stays in English."""
    people = sorted(admins) + [
        m.user_ref for m in members_with(session=session, roles=_roles_at_least(needed)) if m.user_ref not in admins
    ]
    if people:
        ask = _("Ask {people}.").format(people=", ".join(f"<@{ref}>" for ref in dict.fromkeys(people)))
    else:
        ask = _("Nobody holds that role yet: the admins named in AGENDA_ADMINS can grant it with `/agenda role`.")
    return Reply(
        title=_("Only {who} can {doing}.").format(who=_(_WHO[needed]), doing=_(doing).format(**(values or {}))),
        summary=_("Nothing was changed."),
        sections=[Section(body=ask)],
        tone=Tone.notice,
    )


def _roles_at_least(needed: Role) -> list[str]:
    return [r.value for r, rank in _RANK.items() if rank >= _RANK[needed]]
