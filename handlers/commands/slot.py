"""`/agenda slot [day] [length]`: when can Ottawa and Tokyo talk?

The search is scheduling/call_slots.py; this is its wording. The day is the first
capital's (Ottawa's) date: its evening is Tokyo's next morning.
"""

from __future__ import annotations

from datetime import date, timedelta

from handlers.commands.parser import FindSlot
from handlers.domain.context import Context
from handlers.views.dates import city, day, moment
from handlers.views.i18n import _, colon
from handlers.views.reply import Reply, Section, Tone
from scheduling.call_slots import Slot, Strain, find_slots
from scheduling.capitals import Capitals

MAX_DAYS_AHEAD = 3 * 366


def slot(command: FindSlot, ctx: Context) -> Reply:
    capitals = ctx.ports.capitals
    local_today = capitals.canada.local(ctx.ports.clock.now()).date()
    on = _day(command.day, local_today, capitals)
    if not local_today - timedelta(days=1) <= on <= local_today + timedelta(days=MAX_DAYS_AHEAD):
        return Reply(
            title=_("I look for slots from today to three years ahead, not on {day}.").format(day=day(on)),
            sections=[Section(body=_("For example `/agenda slot tomorrow 60m`."))],
            tone=Tone.error,
        )
    length = timedelta(minutes=command.minutes)
    found = find_slots(on, length, capitals)
    opens, closes = (f"{t:%H:%M}" for t in capitals.working_hours)
    ottawa, tokyo = city(capitals.canada.city), city(capitals.japan.city)
    title = _("{length} calls on {day} ({city}'s date)").format(
        length=_length(command.minutes), day=day(on), city=ottawa
    )
    if found.inside:
        lines = [
            "• " + _("Start between {first} and {last}").format(first=moment(a, capitals), last=moment(b, capitals))
            for a, b in found.inside
        ]
        summary = _("Working hours are {opens}–{closes} local in {canada} and {japan}; inside them in both:")
        summary = summary.format(opens=opens, closes=closes, canada=ottawa, japan=tokyo)
        return Reply(title=title, summary=summary, sections=[Section(body="\n".join(lines))])
    lines = ["• " + colon(moment(s.start, capitals, until=s.end), _trade(s)) for s in found.least_bad]
    summary = _(
        "Working hours are {opens}–{closes} local in {canada} and {japan}, and they do not overlap on that day. "
        "The least-bad options, best first:"
    ).format(opens=opens, closes=closes, canada=ottawa, japan=tokyo)
    return Reply(title=title, summary=summary, sections=[Section(body="\n".join(lines))])


def _day(words: str | None, local_today: date, capitals: Capitals) -> date:
    if words == "today":
        return local_today
    if words == "tomorrow":
        return local_today + timedelta(days=1)
    if words:
        return date.fromisoformat(words)
    # Nothing said: the next day that is a working day on both sides.
    on = local_today + timedelta(days=1)
    while not capitals.working_day_in_both(on):
        on += timedelta(days=1)
    return on


def _trade(slot: Slot) -> str:
    parts = [_strain(s) for s in slot.strains if s.minutes or s.day_off]
    return "; ".join(parts) if parts else _("inside working hours on both sides")


def _strain(strain: Strain) -> str:
    name = city(strain.capital.city)
    words = []
    if strain.early:
        words.append(_("{city} starts {length} early").format(city=name, length=_length(strain.early)))
    if strain.late:
        words.append(_("{city} stays {length} late").format(city=name, length=_length(strain.late)))
    if strain.day_off:
        words.append((_("on a day off in {city}") if words else _("a day off in {city}")).format(city=name))
    return ", ".join(words)


def _length(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
