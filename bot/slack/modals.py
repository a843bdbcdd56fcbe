"""Forms as Slack modals: `/agenda add` and `/agenda edit <id>`.

The modal carries the form's target, version and opening time in its
private metadata; on submission the neutral `submit_form` validates every
field (errors go back into the modal, next to their fields) and refuses a
save on an outdated copy. The confirmation goes privately to the channel
the command was typed in, or by direct message when that is not possible.
"""

from __future__ import annotations

import asyncio
import json
import logging

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.later import later
from bot.slack.render import render
from bot.slack.text import user_ref
from handlers.commands.forms import GENERAL, Form, FormField, submit_form
from handlers.domain.ports import Ports, Requester
from handlers.views import i18n
from handlers.views.i18n import _
from handlers.views.reply import Reply

logger = logging.getLogger(__name__)

CALLBACK_ID = "agenda_form"


def form_view(form: Form, *, channel: str | None) -> dict:
    with i18n.speaking(form.language):
        return _form_view(form, channel=channel)


def _form_view(form: Form, *, channel: str | None) -> dict:
    metadata = json.dumps(
        {"key": form.key, "version": form.version, "opened_at": form.opened_at, "channel": channel, "kind": form.kind}
    )
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=PlainTextObject(text=form.title[:24]),
        submit=PlainTextObject(text=_("Save")),
        close=PlainTextObject(text=_("Cancel")),
        private_metadata=metadata,
        blocks=[_input(f) for f in form.fields],
    ).to_dict()


async def open_form_modal(client: AsyncWebClient, command: dict, form: Form, respond: AsyncRespond) -> None:
    """Open the form with the command's trigger id (Slack honours it for 3 seconds); if Slack
    refuses, say so instead of leaving the person waiting for a modal that never comes."""
    if not client.token:
        with i18n.speaking(form.language):
            text = _(
                "Forms need the bot token (SLACK_BOT_TOKEN), which this installation does not have: ask its admins."
            )
    else:
        try:
            view = form_view(form, channel=command.get("channel_id"))
            await client.views_open(trigger_id=command.get("trigger_id", ""), view=view)
            return
        except SlackApiError as exc:
            error = exc.response.get("error")
            logger.warning("views.open refused for %s: %s", command.get("user_id"), error)
            again = "add" if form.key is None else f"edit {form.key}"
            again = again if form.kind == "commitment" else command.get("text")  # a meeting's form: its words
            with i18n.speaking(form.language):
                text = _("I could not open the form (Slack answered {error}). Try `/agenda {again}` again.").format(
                    error=repr(error), again=again
                )
    await respond(text=text, response_type="ephemeral")


def _input(f: FormField) -> InputBlock:
    options = [Option(value=v, label=label[:75]) for v, label in f.options][:100]
    initial = [o for o in options if o.value == f.initial or (isinstance(f.initial, tuple) and o.value in f.initial)]
    if f.kind in {"text", "multiline"}:
        element = PlainTextInputElement(
            action_id=f.name, multiline=f.kind == "multiline", initial_value=f.initial or None, max_length=f.max_length
        )
    elif f.kind == "select":
        element = StaticSelectElement(action_id=f.name, options=options, initial_option=initial[0] if initial else None)
    elif f.kind == "multiselect":
        element = StaticMultiSelectElement(action_id=f.name, options=options, initial_options=initial or None)
    else:
        users = [ref.split(":", 1)[1] for ref in (f.initial or ()) if ref.startswith("slack:")]
        element = UserMultiSelectElement(action_id=f.name, initial_users=users or None)
    hint = PlainTextObject(text=f.hint) if f.hint else None
    return InputBlock(block_id=f.name, label=f.label, element=element, optional=not f.required, hint=hint)


def values_from(view: dict) -> dict:
    """Slack's view state → the neutral values submit_form takes. A signed payload is trusted
    to be Slack's, not to be well formed: an entry of the wrong shape is left out, so the form
    answers as it does for a missing value instead of failing."""
    values: dict = {}
    for name, actions in _mapping(_mapping(view.get("state")).get("values")).items():
        state = _mapping(_mapping(actions).get(name))
        kind = state.get("type")
        if kind == "plain_text_input":
            values[name] = _text(state.get("value"))
        elif kind == "static_select":
            values[name] = _text(_mapping(state.get("selected_option")).get("value"))
        elif kind == "multi_static_select":
            chosen = (_text(_mapping(o).get("value")) for o in _list(state.get("selected_options")))
            values[name] = tuple(value for value in chosen if value is not None)
        elif kind == "multi_users_select":
            values[name] = tuple(user_ref(u) for u in _list(state.get("selected_users")) if isinstance(u, str))
    return values


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def register_forms(app: AsyncApp, ports: Ports) -> None:
    async def on_submit(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient) -> None:
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        meta = meta if isinstance(meta, dict) else {}
        user, channel = body["user"]["id"], meta.get("channel")
        requester = Requester(user_ref=user_ref(user), channel_ref=f"slack:{channel}" if channel else "slack:form")
        try:
            result = await asyncio.to_thread(
                submit_form, values_from(view), form_key=meta.get("key"), expected_version=meta.get("version"),
                opened_at=meta.get("opened_at") or "1970-01-01T00:00:00+00:00", ports=ports, requester=requester,
                kind=meta.get("kind") if isinstance(meta.get("kind"), str) else None,
            )  # fmt: skip
        except Exception:
            logger.exception("form submission failed for %s", user)
            with i18n.speaking(ports.languages.get((requester.user_ref, None))):
                sorry = _("It could not be saved: please press Save again.")
            await ack(response_action="errors", errors={GENERAL: sorry})
            return
        if result.errors:
            await ack(response_action="errors", errors=result.errors)
            return
        await ack()
        if result.reply is not None and client.token:  # after the acknowledgement (bot/slack/later.py)
            later(_confirm(client, user, channel, result.reply), "a form's confirmation")

    app.view(CALLBACK_ID)(on_submit)


async def _confirm(client: AsyncWebClient, user: str, channel: str | None, reply: Reply) -> None:
    """Privately where the command was typed; by direct message when that channel is unknown or
    does not take it (a channel the bot is not in, a DM between two other people)."""
    message = render(reply)
    if channel:
        try:
            await client.chat_postEphemeral(channel=channel, user=user, text=message.text, blocks=message.blocks)
            return
        except SlackApiError as exc:
            logger.info("confirmation not posted in %s (%s): sending it by DM", channel, exc.response.get("error"))
    try:
        opened = await client.conversations_open(users=user)
        await client.chat_postMessage(channel=opened["channel"]["id"], text=message.text, blocks=message.blocks)
    except SlackApiError:
        logger.exception("could not confirm the form to %s", user)
