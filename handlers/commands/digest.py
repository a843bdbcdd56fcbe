"""`/agenda digest`: subscribe a channel to the weekly digest, unsubscribe it, preview it.

What the digest says and when it is sent: scheduling/digest.py.
"""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.commands import terms
from handlers.commands.parser import Digest, channel_named
from handlers.commands.questions import fold
from handlers.domain import audit
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.domain.resolve import TargetKind
from handlers.views import i18n
from handlers.views.dates import moment, time_of_day
from handlers.views.i18n import N_, _, ngettext
from handlers.views.reply import Reply, Section, Tone
from models import follow_ups, writes
from models.tables import DigestSubscription, Role
from scheduling.digest import compose, next_digest

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def digest(command: Digest, ctx: Context) -> Reply:
    if command.action == "preview" and (elsewhere := _elsewhere(command, ctx)) is not None:
        return Reply(
            title=_("A preview is of the channel where the command is typed: type it in {channel}.").format(
                channel=elsewhere
            ),
            tone=Tone.error,
        )
    if command.action == "preview":
        return _preview(ctx)
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, N_("subscribe channels to the digest"), ctx.ports.admins)
    channel = ctx.requester.channel_ref
    if not channel or not ctx.requester.in_channel:
        return Reply(title=_("Run this in the channel that should get the digest."), tone=Tone.error)
    if (elsewhere := _elsewhere(command, ctx)) is not None:
        # A digest is the channel's where the command is typed: naming another channel must not change this
        # one (nor is the name an area). Said plainly, with where to type it.
        return Reply(
            title=_(
                "The digest is set in the channel where the command is typed: I changed nothing for {channel}."
            ).format(channel=elsewhere),
            sections=[
                Section(
                    body=_("Type the same command in {channel} itself, without its name.").format(channel=elsewhere)
                )
            ],
            tone=Tone.error,
        )
    existing = follow_ups.digest_subscription_of(session=ctx.session, channel_ref=channel)
    if command.action == "unsubscribe":
        if existing is None:
            return Reply(title=_("This channel has no digest."), tone=Tone.notice)
        before = _fields(existing)
        writes.remove(session=ctx.session, row=existing)
        audit.record(ctx, action="digest", target_type="channel", target_key=channel, before=before, after={})
        return Reply(title=_("This channel will no longer get the weekly digest."))
    return _subscribe(command, ctx, channel, existing)


def _subscribe(command: Digest, ctx: Context, channel: str, existing: DigestSubscription | None) -> Reply:
    areas, unknown = [], []
    for words in command.area_words:
        target = ctx.vocabulary.exact(words, kinds=(TargetKind.area,)) or ctx.vocabulary.fuzzy(
            words, kinds=(TargetKind.area,)
        )
        (areas.append(target.key) if target else unknown.append(words))
    if unknown:
        return Reply(
            title=ngettext("I don't know the area {names}.", "I don't know the areas {names}.", len(unknown)).format(
                names=i18n.and_list(unknown)
            ),
            sections=[Section(body=_("`/agenda areas` lists them; separate several with commas."))],
            tone=Tone.error,
        )
    zone = command.timezone or (existing.timezone if existing else None) or ctx.ports.default_timezone
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        from babel.lists import format_list  # not at import: `ask` at the terminal loads no Babel (tests/test_cli.py)

        cities = format_list(terms.zone_examples(i18n.current()), style="or", locale=i18n.babel_locale())
        return Reply(
            title=_("I don't know the timezone “{zone}”.").format(zone=zone),
            summary=_("Name a city, such as {cities}, or a timezone such as Asia/Tokyo.").format(cities=cities),
            tone=Tone.error,
        )
    row = existing or DigestSubscription(
        channel_ref=channel, created_by=ctx.requester.user_ref, created_at=ctx.ports.clock.now()
    )
    before = _fields(existing) if existing else {}
    row.area_keys = sorted(set(areas)) if command.area_words else (row.area_keys if existing else [])
    row.weekday = command.weekday if command.weekday is not None else row.weekday
    row.at = command.at or row.at
    row.timezone = zone
    row.language = command.language or (existing.language if existing else i18n.DEFAULT)
    city = command.city if command.timezone else None  # the city named now; else the zone's, in the reader's words
    when = {"weekday": _weekday(row.weekday), "time": time_of_day(row.at), "zone": _zone_words(row.timezone, city)}
    if before == _fields(row):  # subscribing again as it is: nothing to write, nothing to record
        return Reply(
            title=_("Nothing to change: this channel already gets the digest every {weekday} at {time} {zone}.").format(
                **when
            ),
            tone=Tone.notice,
        )
    writes.save(session=ctx.session, row=row)
    audit.record(ctx, action="digest", target_type="channel", target_key=channel, before=before, after=_fields(row))
    following = next_digest(row, ctx.ports.clock.now())
    names = {area.key: area.name for area in ctx.vocabulary.areas}  # in the reader's language
    scope = i18n.and_list(names.get(key, key) for key in row.area_keys) if row.area_keys else _("every area")
    return Reply(
        title=_("This channel gets the digest every {weekday} at {time} {zone}.").format(**when),
        summary=_("About {scope}. The first: {when}.").format(scope=scope, when=moment(following, ctx.ports.capitals)),
    )


def _zone_words(zone: str, city: str | None) -> str:
    """The digest's timezone as the reader says it: "Tokyo time", "heure de Tokyo", "東京時間" (the city named, else
    the zone's: terms.zone_city); "UTC"; the IANA name where no city is known (Etc/GMT+5)."""
    language = i18n.current()
    shown = terms.zone_city(zone, language, city)
    if shown is None or shown == "UTC":
        return shown or zone
    words = _("{city} time").format(city=shown)
    # French elides "de" before a vowel: "heure d’Ottawa", "heure d’Edmonton"
    return re.sub(r"\bde (?=[AEIOUYÉÈÊÎÔÂaeiouyéèêîôâ])", "d’", words) if language == "fr" else words


def _elsewhere(command: Digest, ctx: Context) -> str | None:
    """The first channel the command names that is not the one it is typed in, as `#name`; None when it names
    none, or only this one. This one is known by its id (`<#C123|canal>`) or by its name when the platform gave
    it (Slack's commands); a name that cannot be told to be this channel counts as another."""
    here = ctx.requester.channel_ref or ""
    for said in command.channels:
        id_, name = channel_named(said) or (None, None)
        if id_ is not None and here.rpartition(":")[2] == id_.rpartition(":")[2]:
            continue
        if id_ is None and name and ctx.requester.channel_name and fold(name)[0] == fold(ctx.requester.channel_name)[0]:
            continue
        return f"#{name}" if name else said
    return None


def _weekday(number: int) -> str:
    """Monday, lundi, 月曜日 (CLDR)."""
    from babel.dates import get_day_names

    return get_day_names("wide", locale=i18n.babel_locale())[number]


def _fields(row: DigestSubscription) -> dict:
    fields = {"areas": row.area_keys, "weekday": WEEKDAY_NAMES[row.weekday], "at": row.at, "timezone": row.timezone}
    return fields | ({"language": row.language} if row.language != i18n.DEFAULT else {})  # as recorded before


def _preview(ctx: Context) -> Reply:
    channel = ctx.requester.channel_ref
    subscription = follow_ups.digest_subscription_of(session=ctx.session, channel_ref=channel) if channel else None
    areas = subscription.area_keys if subscription else []
    now = ctx.ports.clock.now()
    with i18n.speaking(subscription.language if subscription else i18n.current()):  # as the channel gets it
        parts = compose(ctx.session, ctx.timeline, areas=areas, since=now - timedelta(weeks=1), now=now)
    note = (
        _("Preview, shown only to you.")
        if subscription
        else _("Preview, shown only to you (this channel has no digest yet).")
    )
    first = parts[0]
    sections = [s for part in parts for s in part.sections]
    return Reply(title=first.title, summary=note, sections=sections, tone=Tone.answer, image=first.image)
