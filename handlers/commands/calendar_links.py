"""`/agenda calendar`: a person's private calendar links, and revoking them.

A link holds a secret token, stored only as its digest (handlers/domain/secret_links.py),
so it is shown only once, when it is made. Someone who lost theirs revokes it
and asks again for a new one.
"""

from __future__ import annotations

from handlers.commands.parser import CalendarLinks, CalendarRevoke
from handlers.domain import audience, secret_links
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.domain.resolve import TargetKind
from handlers.views import i18n
from handlers.views.dates import day
from handlers.views.i18n import N_, _
from handlers.views.reply import Reply, Section, Tone
from models.links import calendar_feeds_of
from models.tables import CalendarFeed, Role

WHOLE = "agenda"
MINE = "mine"
_FEED_WORDS = {"agenda": WHOLE, "everything": WHOLE, "whole": WHOLE, "mine": MINE, "my": MINE, "me": MINE}
_SUBSCRIBE = N_(
    "Subscribe to a link in your calendar (Google: Other calendars › From URL; Outlook: Add calendar › "
    "Subscribe from web; Apple: File › New Calendar Subscription). Keep it to yourself: anyone with the "
    "link sees what you may see. It is shown only now; `/agenda calendar revoke` turns links off."
)


def calendar_links(command: CalendarLinks, ctx: Context) -> Reply:
    if not audience.is_private(ctx.audience):  # a link opens what its owner may see, to whoever holds it
        return audience.ask_privately(N_("Calendar links are private"))
    wanted = [(WHOLE, _("The whole agenda")), (MINE, _("Your items"))]
    if command.area_words:
        feed = _feed_key(ctx, command.area_words)  # "mine" is your items, not the mine-action area
        if feed is None:
            return _unknown_area(command.area_words)
        wanted = [(f, label) for f, label in wanted if f == feed] or [(feed, _area(ctx, command.area_words).name)]
    existing = {f.feed: f for f in _feeds(ctx)}
    lines = []
    for feed, label in wanted:
        if feed in existing:
            made = existing[feed].created_at
            again = feed.removeprefix("area:")  # the word `calendar revoke` reads
            made_on = f"{made:%d %b %Y}" if i18n.current() == i18n.ENGLISH else day(made.date())
            lines.append(
                _(
                    "{label}: you have a link already (made {day}; it is shown only once). "
                    "For a new one: `/agenda calendar revoke {feed}`, then ask again."
                ).format(label=label, day=made_on, feed=again)
            )
            continue
        link = _issue(ctx, feed)
        lines.append(f"{label}: {link}" if link else f"{label}: {_(_ALREADY_MADE)}")
    return Reply(
        title=_("Your calendar links"),
        summary=_("Private to you. Restricted items appear only while you may see them."),
        sections=[Section(body="\n".join(lines)), Section(body=_(_SUBSCRIBE))],
    )


def calendar_revoke(command: CalendarRevoke, ctx: Context) -> Reply:
    owner = command.user or ctx.requester.user_ref
    if owner != ctx.requester.user_ref and not at_least(ctx.role, Role.admin):
        return refusal(ctx.session, Role.admin, N_("revoke someone else's calendar links"), ctx.ports.admins)
    feeds = _feeds(ctx, owner)
    if command.feed_words.lower() != "all":
        wanted = _feed_key(ctx, command.feed_words)
        if wanted is None:
            return _unknown_area(command.feed_words)
        feeds = [f for f in feeds if f.feed == wanted]
    if not feeds:
        return Reply(
            title=_("No such calendar link to revoke."),
            summary=_("`/agenda calendar` makes new ones."),
            tone=Tone.notice,
        )
    for feed in feeds:
        secret_links.revoke(ctx, feed, owner=owner, action="calendar revoke", detail={"feed": feed.feed})
    own = owner == ctx.requester.user_ref
    names = ", ".join(_name(f.feed, own=own) for f in feeds)
    if own:
        title = _("Revoked: {names}.").format(names=names)
    else:
        title = _("Revoked: {names} ({person}'s links).").format(names=names, person=f"<@{owner}>")
    return Reply(
        title=title,
        summary=_("Calendars subscribed with those links stop updating; `/agenda calendar` makes new links."),
    )


def _issue(ctx: Context, feed: str) -> str | None:
    """A new link, or None when another request made this person's link for this feed at the same moment."""

    def make(digest: str) -> CalendarFeed:
        return CalendarFeed(
            user_ref=ctx.requester.user_ref, feed=feed, token_sha256=digest, created_at=ctx.ports.clock.now()
        )

    token = secret_links.issue(ctx, make, unique=["user_ref", "feed"], action="calendar link", detail={"feed": feed})
    if token is None:
        return None
    # As code: copied verbatim (a calendar app wants the address), never read as formatting.
    return f"`{ctx.ports.public_url}/calendar/{token}.ics`"


_ALREADY_MADE = N_("a link was made for you a moment ago, by another request (it is shown only once).")


def _feeds(ctx: Context, owner: str | None = None) -> list[CalendarFeed]:
    return calendar_feeds_of(session=ctx.session, user_ref=owner or ctx.requester.user_ref)


def _feed_key(ctx: Context, words: str) -> str | None:
    if words.lower() in _FEED_WORDS:
        return _FEED_WORDS[words.lower()]
    area = _area(ctx, words)
    return f"area:{area.key}" if area else None


def _area(ctx: Context, words: str):
    kinds = (TargetKind.area,)
    return ctx.vocabulary.exact(words, kinds=kinds) or ctx.vocabulary.fuzzy(words, kinds=kinds)


def _name(feed: str, *, own: bool = True) -> str:
    """A feed as the reader calls it: words of their language for the two calendars, an area's own name."""
    if feed == MINE:
        return _("your items") if own else _("their items")
    return _("the whole agenda") if feed == WHOLE else feed.removeprefix("area:")


def _unknown_area(words: str) -> Reply:
    return Reply(
        title=_("No area or calendar called “{words}”.").format(words=words),
        summary=_("Calendars: `agenda` (everything), `mine`, or an area (`/agenda areas` lists them)."),
        tone=Tone.notice,
    )
