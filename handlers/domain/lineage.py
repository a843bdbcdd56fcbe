"""Lineage across documents: a later commitment that carries on, changes or replaces an
earlier one is the current one; the earlier one is its history.

The seeds and imports state it on the later commitment (``continues``, ``updates``,
``supersedes``: seeds/schema.py). Lookups list current commitments first and each one
says where it comes from ("Updates 1999-1"); an earlier one says what replaced it
("Updated by 2005-E1: that one is current"), so no answer shows two current commitments
that contradict each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from handlers.views.i18n import N_, _
from handlers.views.reply import Fact, Item

# relation: (what the later one does, what the earlier one became)
WORDS = {
    "continues": (N_("Continues"), N_("Continued by")),
    "updates": (N_("Updates"), N_("Updated by")),
    "supersedes": (N_("Supersedes"), N_("Superseded by")),
}


@dataclass(frozen=True)
class Lineage:
    earlier: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # key → {relation: earlier keys}
    later: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # key → [(relation, later key)]
    key_of: dict[int, str] = field(default_factory=dict)
    id_by_key: dict[str, int] = field(default_factory=dict)
    # The ids of commitments with a lineage (earlier or later ones): the few a list of thousands need asking about.
    with_lineage: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        ids = frozenset(i for i, key in self.key_of.items() if key in self.earlier or key in self.later)
        object.__setattr__(self, "with_lineage", ids)

    @classmethod
    def load(cls, session) -> Lineage:
        from models.lineage import lineages

        rows = lineages(session=session)
        earlier = {key: lineage for _, key, lineage in rows if lineage}
        later: dict[str, list[tuple[str, str]]] = {}
        for key, lineage in earlier.items():
            for relation, keys in lineage.items():
                for old in keys:
                    later.setdefault(old, []).append((relation, key))
        key_of = {i: k for i, k, _ in rows}
        return cls(earlier=earlier, later=later, key_of=key_of, id_by_key={k: i for i, k in key_of.items()})

    def named_by(self, keys) -> set[str]:
        """The commitments the lineage of these ones names (to ask whether the audience may see them)."""
        named: set[str] = set()
        earlier, later = self.earlier, self.later
        for key in keys:  # most commitments have no lineage: two lookups, nothing built for them
            if key in earlier:
                for ks in earlier[key].values():
                    named.update(ks)
            if key in later:
                named.update(k for _, k in later[key])
        return named

    def keys_among(self, ids) -> list[str]:
        """The keys of those of these commitments that have a lineage (in no particular order): what
        ``named_by`` needs of a list, looked up for the few that have one rather than for each of the list."""
        key_of = self.key_of
        return [key_of[i] for i in self.with_lineage.intersection(ids)]

    def id_of(self, keys) -> list[int]:
        """Their ids, in id order (a lookup per key: the agenda may hold 10,000 commitments)."""
        return sorted(self.id_by_key[k] for k in set(keys) if k in self.id_by_key)

    def is_current(self, key: str, shown: set[str]) -> bool:
        """Nothing the audience may see carries it on, changes or replaces it."""
        return not any(later in shown for _, later in self.later.get(key, []))

    def current_first(self, ids: list[int], shown: set[str]) -> list[int]:
        """Current commitments in their order, then those a later one carries on, changes or replaces."""
        if not shown:  # nothing later to be replaced by: every one is current, the order stays
            return list(ids)
        key_of = self.key_of
        history = {i for i in self.with_lineage.intersection(ids) if not self.is_current(key_of[i], shown)}
        if not history:
            return list(ids)
        return [*(i for i in ids if i not in history), *(i for i in ids if i in history)]

    def facts(self, key: str, shown: set[str]) -> list[Fact]:
        """Its lineage, naming only commitments in ``shown``: the audience may not know the others exist."""
        facts = []
        for relation, keys in self.earlier.get(key, {}).items():
            if seen := [k for k in keys if k in shown]:
                note = _(" (no longer current)") if relation != "continues" else ""
                facts.append(Fact(_(WORDS[relation][0]), ", ".join(seen) + note))
        for relation, later in self.later.get(key, []):
            if later in shown:
                wording = _("{id}: that one is current; this one is its history").format(id=later)
                facts.append(Fact(_(WORDS[relation][1]), wording))
        return facts

    def item(self, item: Item, shown: set[str]) -> Item:
        extra = self.facts(item.id, shown)
        return replace(item, facts=[*item.facts, *extra]) if extra else item
