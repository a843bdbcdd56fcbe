"""Meetings: a meeting's page (handlers/commands/meeting_page.py); recording that one was held, or not
(handlers/commands/held.py)."""

from __future__ import annotations

from handlers.commands.parser import with_when_errors
from handlers.commands.registry import Access, CommandSpec, later, or_lookup_in_other_words, plain
from handlers.views.i18n import N_

# The meeting commands' Command types, parsers and handlers live in their own modules, named here and imported
# when one of their words is typed (registry.later): most starts (a lookup, a question) run none of them.
_HELD = "handlers.commands.held"
_MILESTONES = "handlers.commands.milestones"
_OUTCOMES = "handlers.commands.outcomes"
_PROPOSALS = "handlers.commands.proposals"


def _not_held(said):
    from handlers.commands.held import NOT_HELD_WORDS, parse_not_held

    whole = said.words.partition(" ")[0] in NOT_HELD_WORDS
    return with_when_errors(lambda rest: parse_not_held(rest, said_whole=whole))(said.rest)


COMMANDS = (
    CommandSpec(
        name="meeting",
        words={
            "meeting": plain(later("handlers.commands.meeting_page:parse_meeting")),
            "meetings": plain(later("handlers.commands.meeting_page:parse_meeting")),
        },
        local={"meeting": {"fr": ("réunion", "réunions"), "ja": ("会合", "会議")}},
        handlers={"handlers.commands.meeting_page:MeetingPage": later("handlers.commands.meeting_page:meeting_page")},
        access=Access.read,
        rank=62,
        examples=("meeting pol-mil", "meeting symposium", "meeting"),
        help=N_(
            "`/agenda meeting <meeting>`: its page: the next one (in both capitals), its series as recorded, the last "
            "meeting, and what to do next."
        ),
        aliases=frozenset({"meetings"}),
    ),
    CommandSpec(
        name="held",
        words={"held": or_lookup_in_other_words("held", plain(with_when_errors(later(f"{_HELD}:parse_held"))))},
        local={"held": {"fr": "tenue", "ja": "開催"}},
        handlers={
            f"{_HELD}:RecordHeld": later(f"{_HELD}:record_held"),
            "handlers.commands.held_form:OpenHeldForm": later("handlers.commands.held_form:open_held_form"),
        },
        access=Access.change,
        rank=222,
        examples=(
            "held pol-mil 15 Dec 2022 in Ottawa host Canada number 12",
            "held symposium autumn 2019",
            "held form pol-mil 2026",
        ),  # fmt: skip
        coordinators_help=N_(
            "`/agenda held <meeting> <date> [in <place>] [host Canada|Japan] [number <n>]`: record a "
            "meeting that took place; the next one is counted from it."
        ),
    ),
    CommandSpec(
        name="not held",
        words={"not": _not_held},
        local={"not": {"fr": "non", "ja": "未開催"}},  # `non tenue …`; `未開催 …`, one word
        handlers={f"{_HELD}:RecordNotHeld": later(f"{_HELD}:record_not_held")},
        access=Access.change,
        rank=224,
        examples=(
            "not held pol-mil 2024 postponed by both sides", "not held symposium autumn 2020",
            "non tenue pol-mil 2024 reportée", "未開催 政軍協議 2024 延期",
        ),  # fmt: skip
        coordinators_help=N_(
            "`/agenda not held <meeting> <year or date> [<reason>]`: record that a meeting did not take place."
        ),
    ),
    CommandSpec(
        name="milestone",
        words={"milestone": or_lookup_in_other_words("milestone", plain(later(f"{_MILESTONES}:parse_milestone")))},
        local={"milestone": {"fr": "étape", "ja": "チェックリスト"}},
        handlers={f"{_MILESTONES}:ChangeMilestone": later(f"{_MILESTONES}:change_milestone")},
        access=Access.change,
        rank=226,
        examples=(
            "milestone pol-mil briefing done",
            "milestone pol-mil delegation owner <@slack:UMARIA>",
            "milestone pol-mil agenda 45 days before",
        ),
        coordinators_help=N_(
            "`/agenda milestone <meeting> <agenda|briefing|delegation|record> done | owner <@person> | "
            "<n> days before|after`: a meeting's checklist (its owners may mark a step done)."
        ),
    ),
    CommandSpec(
        name="unknown",
        words={"unknown": plain(later(f"{_HELD}:parse_unknown"))},
        handlers={f"{_HELD}:NotKnown": later(f"{_HELD}:not_known")},
        access=Access.change,
        rank=228,
        examples=("unknown pol-mil 2025",),
        help=N_("The I don't know button of a question whether a meeting met: noted in its history; it stays unknown."),
        pressed=True,
    ),
    CommandSpec(
        name="propose",
        words={"propose": plain(later(f"{_PROPOSALS}:parse_propose"))},
        local={"propose": {"fr": "proposer", "ja": "提案"}},
        handlers={f"{_PROPOSALS}:Propose": later(f"{_PROPOSALS}:propose")},
        access=Access.change,
        rank=229,
        examples=("propose 2002-A4 for pol-mil",),
        coordinators_help=N_(
            "`/agenda propose <id> for <meeting>`: put a commitment on its next meeting's agenda "
            "(the meeting's owners may too)."
        ),
    ),
    CommandSpec(
        name="briefing",
        words={"briefing": plain(later(f"{_PROPOSALS}:parse_briefing"))},
        local={"briefing": {"fr": "breffage", "ja": "ブリーフィング"}},
        handlers={f"{_PROPOSALS}:Briefing": later(f"{_PROPOSALS}:briefing")},
        access=Access.read,
        rank=64,
        examples=("briefing pol-mil",),
        help=N_(
            "`/agenda briefing <meeting>`: one page to print: the meeting, its checklist, and each proposed item's "
            "agreed text, status, owners and last change."
        ),
    ),
    CommandSpec(
        name="outcome",
        words={
            "outcome": plain(later(f"{_OUTCOMES}:parse_outcome")),
            "outcomes": plain(later(f"{_OUTCOMES}:parse_outcome")),
        },
        local={"outcome": {"fr": "résultat", "ja": "結果"}},
        handlers={f"{_OUTCOMES}:RecordOutcome": later(f"{_OUTCOMES}:record_outcome")},
        access=Access.change,
        rank=233,
        examples=('outcome pol-mil 2002-A4 "agreed to exchange drafts"',),
        coordinators_help=N_(
            "`/agenda outcome <meeting> <id> <text>`: the record of discussion: what was said or "
            "agreed on an item at the meeting's last meeting held."
        ),
        aliases=frozenset({"outcomes"}),
    ),
    CommandSpec(
        name="action",
        words={"action": plain(with_when_errors(later(f"{_OUTCOMES}:parse_action")))},
        local={"action": {"fr": "suivi", "ja": "フォローアップ"}},
        handlers={f"{_OUTCOMES}:AddAction": later(f"{_OUTCOMES}:add_action")},
        access=Access.change,
        rank=234,
        examples=(
            'action pol-mil "exchange lists of PKO trainers" owner <@slack:UMARIA> due 1 Mar 2027',
            'action symposium "circulate the report" owner DND due Jun 2027 restricted',
        ),
        coordinators_help=N_(
            '`/agenda action <meeting> "<action>" owner <@person or department> due <date>`: a follow-up '
            "of the last meeting held, tracked, reminded and escalated as any deadline."
        ),
    ),
    CommandSpec(
        name="delegation",
        words={
            "delegation": plain(later(f"{_OUTCOMES}:parse_delegation")),
            "delegations": plain(later(f"{_OUTCOMES}:parse_delegation")),
        },
        local={"delegation": {"ja": "代表団"}},  # "délégation" is "delegation" once its accent is folded
        handlers={f"{_OUTCOMES}:SetDelegation": later(f"{_OUTCOMES}:set_delegation")},
        access=Access.change,
        rank=235,
        examples=(
            'delegation pol-mil Canada <@slack:UMARIA> "Global Affairs Canada"',
            "delegation pol-mil Japan remove MOFA",
        ),
        coordinators_help=N_(
            "`/agenda delegation <meeting> Canada|Japan [remove] <@people…> [<departments>]`: who attends "
            "for each side (the next meeting fixed, else the last one held)."
        ),
        aliases=frozenset({"delegations"}),
    ),
)
