"""`/agenda link`: one person's Slack and Teams accounts, linked by a one-time code.

The code proves both accounts belong to one person: it is shown only to the
person who asked (Slack's slash command answers are private; in Teams only a
1:1 chat is), and only the person who says it on the other platform links to
it. A code lasts 15 minutes and works once; only its digest is stored.
Addresses link people without a code (handlers/domain/identities.py).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from handlers.commands.parser import Link
from handlers.domain import audience, audit, identities
from handlers.domain.context import Context
from handlers.domain.languages import status_line
from handlers.domain.permissions import at_least, refusal
from handlers.views.i18n import N_, _
from handlers.views.reply import Reply, Section, Tone
from models import audit_log, identity_links, links, writes
from models.platforms import PLATFORMS, platform_of
from models.tables import LinkCode, Role

CODE_LIFETIME = timedelta(minutes=15)
MAX_FAILURES = 5  # wrong codes per person per CODE_LIFETIME
WHAT_LINKING_DOES = N_(
    "Once linked, you are one person to the bot: what is assigned to either account is yours on both, "
    "your role is the same on both, and your reminders come where you choose."
)


def via_words(via: str) -> str:
    """Where reminders go: "both Slack and Teams", "Teams only"."""
    if via == "all":
        return _("both Slack and Teams")
    return _("{platform} only").format(platform=PLATFORMS[via].title)


def link(command: Link, ctx: Context) -> Reply:
    if not identities.linkable(ctx.requester.user_ref):
        return Reply(
            title=_("Linking joins a Slack account and a Teams account."),
            summary=_("Ask from Slack or Teams, not from here."),
            tone=Tone.notice,
        )
    if command.action == "redeem":
        return _redeem(command.code or "", ctx)
    if command.action == "remove":
        return _remove(command.user, ctx)
    if command.action == "via":
        return _via(command.via or "all", ctx)
    if command.user is not None and command.user not in ctx.identities:
        return _someone_else(command.user, ctx)
    return _status(ctx)


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _other(ref: str) -> str:
    """The platform the asker is not on, by name."""
    return next(p.title for key, p in PLATFORMS.items() if key != platform_of(ref))


def _status(ctx: Context) -> Reply:
    me, here = ctx.requester.user_ref, PLATFORMS[platform_of(ctx.requester.user_ref)].title
    there = _other(me)
    if len(ctx.identities) > 1:
        person = identities.person_of(ctx.session, me)
        how = identity_links.how_linked(session=ctx.session, user_ref=me)
        by = _("the same email address on both") if how == "email" else _("a code")
        return Reply(
            title=_("Your {here} account is linked with your {there} account.").format(here=here, there=there),
            summary=_("Linked by {how}. Reminders go to {where}.").format(
                how=by, where=via_words(person.reminders_via)
            ),
            sections=[
                Section(body=_(WHAT_LINKING_DOES)),
                Section(
                    body=_(
                        "`/agenda link reminders slack|teams|both` chooses where reminders go; "
                        "`/agenda link remove` undoes the link."
                    )
                ),
                Section(body=status_line(ctx.session, ctx.requester)),  # one language, on both
            ],
            tone=Tone.notice,
        )
    if not audience.is_private(ctx.audience):
        return Reply(
            title=_("Ask me for a link code in a 1:1 chat."),
            summary=_("Everyone here would see the code, and anyone who said it first would be linked to you."),
            tone=Tone.notice,
        )
    code = _new_code(ctx)
    return Reply(
        title=_("Link your {here} account with your {there} account").format(here=here, there=there),
        summary=_(
            "Say `link {code}` to the bot in {there}, in a 1:1 chat, within {minutes} minutes. "
            "The code works once; keep it to yourself."
        ).format(code=f"{code[:4]}-{code[4:]}", there=there, minutes=CODE_LIFETIME.seconds // 60),
        sections=[Section(body=_(WHAT_LINKING_DOES)), Section(body=status_line(ctx.session, ctx.requester))],
        tone=Tone.notice,
    )


def _new_code(ctx: Context) -> str:
    """Eight digits; this person's older codes and everyone's expired ones are dropped."""
    now, me = ctx.ports.clock.now(), ctx.requester.user_ref
    _one_at_a_time(ctx)  # two requests at once: the later one's code replaces the earlier one's
    links.drop_link_codes(session=ctx.session, user_ref=me, now=now)
    code = f"{secrets.randbelow(10**8):08d}"
    row = LinkCode(code_sha256=code_digest(code), user_ref=me, created_at=now, expires_at=now + CODE_LIFETIME)
    writes.save(session=ctx.session, row=row)
    return code


def _redeem(code: str, ctx: Context) -> Reply:
    now, me = ctx.ports.clock.now(), ctx.requester.user_ref
    _one_at_a_time(ctx)  # wrong codes sent at once must not all be counted before any is recorded
    row = links.link_code_by_digest(session=ctx.session, code_sha256=code_digest(code))
    if not audience.is_private(ctx.audience):
        if row is not None:
            writes.remove(session=ctx.session, row=row)  # seen by the whole channel: nobody may use it now
        return _problem(
            _("That code was said where others can see it, so it no longer works."),
            _("Ask for a new one with `/agenda link` on your other platform and say it in a 1:1 chat with me."),
        )
    if _recent_failures(ctx) >= MAX_FAILURES:
        return _problem(
            _("Too many wrong codes; try again in a quarter of an hour."),
            _("Ask for a new code with `/agenda link` on your other platform and copy it exactly."),
        )
    if row is None or row.expires_at < now:
        audit.record(  # on record, and counted: eight digits must not be guessable by trying
            ctx, action="link-failed", target_type="person", target_key=me, before={}, after={}
        )
        return _problem(
            _("That code is unknown or has expired."),
            _(
                "Codes last {minutes} minutes and work once. "
                "Ask for a new one with `/agenda link` on your other platform."
            ).format(minutes=CODE_LIFETIME.seconds // 60),
        )
    issuer = row.user_ref
    if issuer == me:
        return _problem(
            _("Say this code in {there}, not here.").format(there=_other(me)), _("It links this account with that one.")
        )
    problem = identities.conflict(ctx.session, issuer, me)
    writes.remove(session=ctx.session, row=row)
    if problem == identities.ALREADY_LINKED:
        return Reply(title=_(problem), tone=Tone.notice)
    if problem is not None:
        return _problem(_(problem), _("`/agenda link` shows what is linked; `/agenda link remove` undoes a link."))
    before = list(ctx.identities)
    identities.link(ctx.session, issuer, me, how="code", by=me, now=now)
    after = list(identities.identities_of(ctx.session, me))
    audit.record(
        ctx, action="link", target_type="person", target_key=me, before={"identities": before},
        after={"identities": after}, note="by code",
    )  # fmt: skip
    identities.announce(ctx.session, [issuer], how="code", now=now)  # the other account hears of it too
    here, there = PLATFORMS[platform_of(me)].title, PLATFORMS[platform_of(issuer)].title
    return Reply(
        title=_("Linked: this {here} account and your {there} account are one person now.").format(
            here=here, there=there
        ),
        summary=_("Reminders come to both; `/agenda link reminders slack|teams` to get them in one place."),
        sections=[Section(body=_(WHAT_LINKING_DOES))],
    )


def _one_at_a_time(ctx: Context) -> None:
    """This person's link requests run one after the other, on every replica."""
    writes.serialize(session=ctx.session, name=f"link:{ctx.requester.user_ref}")


def _recent_failures(ctx: Context) -> int:
    since = ctx.ports.clock.now() - CODE_LIFETIME
    return audit_log.count_actions(
        session=ctx.session, actor_ref=ctx.requester.user_ref, action="link-failed", since=since
    )


def _remove(user: str | None, ctx: Context) -> Reply:
    target = user or ctx.requester.user_ref
    if target not in ctx.identities and not at_least(ctx.role, Role.admin):
        return refusal(ctx.session, Role.admin, N_("undo someone else's link"), ctx.ports.admins)
    before = list(identities.identities_of(ctx.session, target))
    others = identities.unlink(ctx.session, target)
    if not others:
        if target == ctx.requester.user_ref:
            title = _("This account is not linked with another account; nothing to undo.")
        else:
            title = _("{person} is not linked with another account; nothing to undo.").format(person=f"<@{target}>")
        return Reply(title=title, tone=Tone.notice)
    audit.record(
        ctx, action="unlink", target_type="person", target_key=target, before={"identities": before},
        after={"identities": [target]},
    )  # fmt: skip
    return Reply(
        title=_("Unlinked: {who} stands alone again.").format(who=identities.describe([target])),
        summary=_(
            "Each account now has only what is assigned to it, and its own reminders. "
            "The same email address will not link them again; `/agenda link` does, with a new code."
        ),
    )


def _via(via: str, ctx: Context) -> Reply:
    changed = identities.set_reminders_via(ctx.session, ctx.requester.user_ref, via)
    if changed is None:
        return _problem(
            _("Your reminders already come to your only account here."),
            _("Link your other account first: `/agenda link`."),
        )
    before, after = changed
    if before == after:
        return Reply(
            title=_("Nothing to change: reminders already go to {where}.").format(where=via_words(via)),
            tone=Tone.notice,
        )
    audit.record(
        ctx, action="link", target_type="person", target_key=ctx.requester.user_ref,
        before={"reminders_via": before}, after={"reminders_via": after},
    )  # fmt: skip
    return Reply(
        title=_("Your reminders now go to {where}.").format(where=via_words(via)),
        summary=_("From the next one planned; what is already on its way still arrives."),
    )


def _someone_else(user: str, ctx: Context) -> Reply:
    """Coordinators see whom a reminder for someone reaches: links change that."""
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, N_("see someone else's linked accounts"), ctx.ports.admins)
    refs = identities.identities_of(ctx.session, user)
    if len(refs) == 1:
        return Reply(title=_("{person} has no linked account.").format(person=f"<@{user}>"), tone=Tone.notice)
    person = identities.person_of(ctx.session, user)
    return Reply(
        title=_("Linked: {who}.").format(who=identities.describe(refs)),
        summary=_("Their reminders go to {where}.").format(where=via_words(person.reminders_via)),
        tone=Tone.notice,
    )


def _problem(title: str, hint: str) -> Reply:
    return Reply(title=title, sections=[Section(body=hint)], tone=Tone.error)
