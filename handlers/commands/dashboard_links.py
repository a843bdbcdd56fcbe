"""`/agenda dashboard`: a person's private link to the read-only dashboard page, and revoking it.

One link per person. Like calendar links (handlers/domain/secret_links.py) it is
shown once, when it is made; the page it opens is judged afresh on every
visit with its owner's current role and ownerships (handlers/pages/dashboard.py).
"""

from __future__ import annotations

from handlers.commands.parser import DashboardAsk, DashboardRevoke
from handlers.domain import audience, secret_links
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.views import i18n
from handlers.views.dates import day
from handlers.views.i18n import N_, _
from handlers.views.reply import Reply, Section, Tone
from models.links import dashboard_link_of
from models.tables import DashboardLink, Role

_KEEP_IT = N_(
    "Open it in a browser, on a computer or a phone. Keep it to yourself: anyone with the link sees what you may "
    "see, read-only. It is shown only now; `/agenda dashboard revoke` turns it off."
)


def dashboard_link(command: DashboardAsk, ctx: Context) -> Reply:
    if not audience.is_private(ctx.audience):  # the link opens what its owner may see, to whoever holds it
        return audience.ask_privately(N_("Dashboard links are private"))
    existing = _link_of(ctx, ctx.requester.user_ref)
    if existing is not None:
        return Reply(
            title=_("You have a dashboard link already"),
            summary=_("It was made {day} and is shown only once.").format(
                day=f"{existing.created_at:%d %b %Y}"
                if i18n.current() == i18n.ENGLISH
                else day(existing.created_at.date())
            ),
            sections=[Section(body=_("For a new one: `/agenda dashboard revoke`, then ask again."))],
            tone=Tone.notice,
        )

    def make(digest: str) -> DashboardLink:
        return DashboardLink(user_ref=ctx.requester.user_ref, token_sha256=digest, created_at=ctx.ports.clock.now())

    token = secret_links.issue(ctx, make, unique=["user_ref"], action="dashboard link", detail={})
    if token is None:
        return Reply(
            title=_("A dashboard link was made for you a moment ago, by another request"),
            summary=_("It is shown only once: `/agenda dashboard revoke`, then ask again."),
            tone=Tone.notice,
        )
    return Reply(
        title=_("Your dashboard"),
        summary=_("Private to you. Restricted items appear only while you may see them."),
        # As code: copied verbatim, never read as formatting.
        sections=[Section(body=f"`{ctx.ports.public_url}/dashboard/{token}/`"), Section(body=_(_KEEP_IT))],
    )


def dashboard_revoke(command: DashboardRevoke, ctx: Context) -> Reply:
    owner = command.user or ctx.requester.user_ref
    if owner != ctx.requester.user_ref and not at_least(ctx.role, Role.admin):
        return refusal(ctx.session, Role.admin, N_("revoke someone else's dashboard link"), ctx.ports.admins)
    link = _link_of(ctx, owner)
    if link is None:
        return Reply(
            title=_("No dashboard link to revoke."), summary=_("`/agenda dashboard` makes one."), tone=Tone.notice
        )
    secret_links.revoke(ctx, link, owner=owner, action="dashboard revoke", detail={})
    if owner == ctx.requester.user_ref:
        title = _("Revoked: the dashboard link.")
    else:
        title = _("Revoked: the dashboard link ({person}'s link).").format(person=f"<@{owner}>")
    return Reply(
        title=title,
        summary=_("The page answers “not found” from now on; `/agenda dashboard` makes a new link."),
    )


def _link_of(ctx: Context, user_ref: str) -> DashboardLink | None:
    return dashboard_link_of(session=ctx.session, user_ref=user_ref)
