"""The Held… form: a meeting held, with its day, place, host and number, from a form (a Slack modal,
a Teams dialog) rather than typed words. `/agenda held form <meeting> [<window>]` opens it (the
Held… button of the question whether a meeting met, and of a meeting's page); saving it runs
`/agenda held` with what was filled in, so the checks, the refusals and the audit are that command's.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.commands.forms import Form, FormField, FormResult
from handlers.commands.held import find_meeting, unknown_meeting
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.domain.ports import Ports, Requester
from handlers.views.i18n import N_, _
from handlers.views.reply import Reply, Tone, Visibility
from models.tables import Role
from scheduling.meeting_asks import window_wording

KIND = "held"
MAX_PLACE = 120


@dataclass(frozen=True)
class OpenHeldForm:
    target: str
    window: str = ""  # the window asked about ("2026", "autumn 2026"), shown as a hint


def open_held_form(command: OpenHeldForm, ctx: Context) -> Reply:
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, N_("record meetings"), ctx.ports.admins)
    target = find_meeting(ctx, command.target)
    if target is None:
        return unknown_meeting(ctx, command.target)
    hint = _("The day it met: 15 Dec 2026, or Dec 2026 if the day is not known.")
    if command.window:
        hint = _("The day it met in {window}: 15 Dec 2026, or Dec 2026 if the day is not known.").format(
            window=window_wording(command.window)
        )
    form = Form(
        title=_("Meeting held"),
        key=target.key,
        version=None,
        opened_at=ctx.ports.clock.now().isoformat(),
        kind=KIND,
        fields=[
            FormField("date", _("Date"), "text", max_length=40, hint=hint),
            FormField("place", _("Place"), "text", required=False, max_length=MAX_PLACE),
            FormField("host", _("Host"), "select", required=False, options=(("CA", _("Canada")), ("JP", _("Japan")))),
            FormField("number", _("Number in the series"), "text", required=False, max_length=4, hint="13"),
        ],
    )
    return Reply(title=_("{name}: the form is open.").format(name=target.name), form=form)


def submit_held(
    values: dict, *, form_key: str | None, ports: Ports, requester: Requester, audience: Visibility
) -> FormResult:
    """Save the form as `/agenda held <meeting> <date> [in <place>] [host …] [number …]` would."""
    from handlers import answer  # the whole command path: parse, permission, write lock, audit, revision

    date = " ".join(str(values.get("date") or "").split())
    if not date:
        return FormResult(errors={"date": _("Required.")})
    words = ["held", form_key or "", date]
    if place := " ".join(str(values.get("place") or "").split()):
        if any(w.lower() in ("host", "number", "in") for w in place.split()):
            return FormResult(errors={"place": _("Write the place alone: a city, or a city and a country.")})
        words += ["in", place]
    if values.get("host") in ("CA", "JP"):
        words += ["host", "Canada" if values["host"] == "CA" else "Japan"]
    if number := str(values.get("number") or "").strip():
        words += ["number", number]
    reply = answer(" ".join(words), ports=ports, requester=requester, audience=audience)
    if reply.tone == Tone.answer:
        return FormResult(reply=reply, private=reply)
    message = reply.title if not reply.summary or reply.summary == _("Nothing was changed.") else reply.summary
    about_number = "number" in message.lower() or _("number").lower() in message.lower()
    field = "number" if about_number and number else "date"
    return FormResult(errors={field: message})
