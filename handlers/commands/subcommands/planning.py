"""Planning: dates for a meeting, and call times that suit both capitals.

Read-only, but not cached: the answers depend on the capitals' local day, not the cache's UTC day.
"""

from __future__ import annotations

from handlers.commands.parser import FindSlot, Plan, parse_plan, parse_slot, with_when_errors
from handlers.commands.registry import Access, CommandSpec, later, plain
from handlers.views.i18n import N_

COMMANDS = (
    CommandSpec(
        name="plan",
        words={"plan": plain(parse_plan)},
        local={"plan": {"fr": "planifier", "ja": "日程案"}},
        handlers={Plan: later("handlers.commands.plan:plan")},
        access=Access.read_uncached,
        rank=90,
        examples=("plan symposium", "plan pol-mil 2028"),
        help=N_(
            "`/agenda plan <meeting> [<year>]`: three dates for its next meeting, clear of weekends and holidays on "
            "both sides."
        ),
    ),
    CommandSpec(
        name="slot",
        words={"slot": plain(with_when_errors(parse_slot))},
        local={"slot": {"fr": ("créneau", "créneaux"), "ja": ("時間枠", "空き時間")}},
        handlers={FindSlot: later("handlers.commands.slot:slot")},
        access=Access.read_uncached,
        rank=100,
        examples=("slot", "slot tomorrow 90m", "slot 3 Mar 2027 1h30"),
        help=N_(
            "`/agenda slot [<day>] [<length>]`: video-call times for Ottawa and Tokyo (`/agenda slot tomorrow 90m`)."
        ),
    ),
)
