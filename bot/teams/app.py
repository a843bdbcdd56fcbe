"""The Teams front end: a Teams SDK ``App`` whose messaging endpoint is a
route of our Starlette app (see adapter.py).

Every option the SDK would otherwise find in generic environment variables
(CLIENT_ID, TENANT_ID, SERVICE_URL, CLOUD, …) is passed from our namespaced
settings, and those names are hidden while the App is built, so an unrelated
``CLIENT_ID`` in the environment cannot switch Teams on or change who we are.

Messages and card buttons become a Requester and the /agenda text; the same
neutral handlers answer. In a channel or group chat everyone sees what the
bot posts, so the answer is computed for the channel (restricted items left out);
in a 1:1 chat it is private to the person.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from microsoft_teams.api import ApiClientSettings, MessageActivityInput
from microsoft_teams.api.auth.cloud_environment import CloudEnvironment, from_name, with_overrides
from microsoft_teams.api.models.adaptive_card import (
    AdaptiveCardActionCardResponse,
    AdaptiveCardActionErrorResponse,
    AdaptiveCardActionMessageResponse,
)
from microsoft_teams.api.models.error import HttpError, InnerHttpError
from microsoft_teams.apps import App

from bot.settings import Settings
from bot.teams import conversations, dialogs
from bot.teams.adapter import StarletteAdapter
from bot.teams.render import VERB_PREFIX, TeamsMessage, render
from bot.teams.text import to_neutral, user_ref
from handlers import answer
from handlers.forms import submit_form
from handlers.ports import Ports, Requester
from handlers.reply import ActionKind, Reply, Section, Tone, Visibility

logger = logging.getLogger(__name__)

MESSAGING_ENDPOINT = "/api/messages"
# A conversation already stored is not rewritten on every message, but is
# refreshed this often: a 403 may have marked it inactive since, and a message
# from it proves the bot is back.
REMEMBERED_FOR_SECONDS = 600.0
# Every name microsoft-teams-apps 2.1.1 reads from the environment while an App is built.
SDK_GENERIC_NAMES = (
    "CLIENT_ID", "CLIENT_SECRET", "TENANT_ID", "MANAGED_IDENTITY_CLIENT_ID", "SERVICE_URL", "CLOUD",
    "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "OAUTH_URL",
)  # fmt: skip


def cloud_of(settings: Settings) -> CloudEnvironment:
    cloud = from_name(settings.teams_cloud)
    return with_overrides(cloud, openid_metadata_url=settings.teams_openid_metadata_url)


def create_teams_app(*, settings: Settings, ports: Ports, adapter: StarletteAdapter, token=None) -> App:
    """The SDK app, configured only from ``settings``. ``token`` (a token provider)
    replaces the client secret, for callers that obtain tokens another way."""
    cloud = cloud_of(settings)
    secret = settings.teams_client_secret.get_secret_value() if settings.teams_client_secret else None
    with _generic_names_hidden():
        app = App(
            client_id=settings.teams_client_id,
            client_secret=None if token else secret,
            token=token,
            tenant_id=settings.teams_tenant_id,
            cloud=cloud,
            service_url=settings.teams_service_url,
            api_client_settings=ApiClientSettings(oauth_url=cloud.token_service_url),
            dangerously_allow_unauthenticated_requests=settings.teams_allow_unauthenticated,
            http_server_adapter=adapter,
            messaging_endpoint=MESSAGING_ENDPOINT,
        )
    front = TeamsFrontEnd(ports)
    app.on_message(front.on_message)
    app.on_card_action(front.on_card_action)
    app.on_dialog_open(front.on_dialog_open)
    app.on_dialog_submit(front.on_dialog_submit)
    app.on_install_add(front.on_installed)
    app.on_install_remove(front.on_uninstalled)
    app.on_conversation_update(front.on_conversation_update)
    return app


@contextmanager
def _generic_names_hidden() -> Iterator[None]:
    # Briefly, at start-up, before any request is served: the SDK reads these
    # with os.getenv whenever an option is None (a multi-tenant app has no tenant id).
    hidden = {name: os.environ.pop(name) for name in SDK_GENERIC_NAMES if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(hidden)


def audience_of(activity) -> Visibility:
    return Visibility.private if activity.conversation.conversation_type == "personal" else Visibility.channel


def requester_of(activity) -> Requester:
    sender = activity.from_
    return Requester(
        user_ref=user_ref(sender.aad_object_id, sender.id),
        display_name=sender.name,
        channel_ref=f"teams:{conversations.base_conversation_id(activity.conversation.id)}",
    )


class TeamsFrontEnd:
    def __init__(self, ports: Ports) -> None:
        self.ports = ports
        self._known: dict[str, tuple] = {}  # conversation id → (what we stored, when)

    async def on_message(self, ctx) -> None:
        activity = ctx.activity
        await self.remember(activity)
        text = to_neutral(activity)
        reply = await self.answer(text, requester_of(activity), audience=audience_of(activity))
        if reply.form is not None:  # add / edit: a dialog, opened from a button (a message cannot open one)
            await self._post(ctx, [dialogs.open_button_card(reply.title, text)], reply.title)
            return
        await self.send(ctx, reply)

    async def on_card_action(self, ctx):
        """An Action.Execute press: the verb says what kind, the data carries the /agenda text."""
        activity = ctx.activity
        action = activity.value.action
        kind = _kind(action.verb)
        query, page = _query(action.data)
        if kind is None or query is None:
            return AdaptiveCardActionErrorResponse(
                status_code=400,
                value=HttpError(
                    code="BadRequest",
                    message="This button is not one of ours.",
                    inner_http_error=InnerHttpError(status_code=400, body=None),
                ),
            )
        audience = audience_of(activity)
        reply = await self.answer(query, requester_of(activity), page=page, audience=audience)
        if kind == ActionKind.share and audience == Visibility.private:
            return AdaptiveCardActionMessageResponse(value="A 1:1 chat has no channel to share into.")
        message = self.render(reply)
        if kind == ActionKind.more and len(message.cards) == 1:  # the next page takes this card's place
            return AdaptiveCardActionCardResponse(value=message.cards[0])
        if not await self.send(ctx, reply, message):
            return AdaptiveCardActionMessageResponse(value="Teams did not accept the answer; please try again.")
        return AdaptiveCardActionMessageResponse(value=message.summary[:200])

    async def on_dialog_open(self, ctx):
        """task/fetch from "Open the form": the form is built afresh, permissions checked again."""
        data = ctx.activity.value.data if isinstance(ctx.activity.value.data, dict) else {}
        mark = data.get(dialogs.MARK)
        command = mark.get("open") if isinstance(mark, dict) else None
        if not isinstance(command, str):
            return dialogs.closed("This is not one of the agenda's forms.")
        reply = await self.answer(command, requester_of(ctx.activity))
        if reply.form is None:  # refused, or the item is gone
            return dialogs.closed(render(reply).summary)
        return dialogs.dialog(reply.form, command=command)

    async def on_dialog_submit(self, ctx):
        """task/submit from Save: the neutral submit_form validates and saves, as for Slack's modal."""
        data = ctx.activity.value.data if isinstance(ctx.activity.value.data, dict) else {}
        meta, values = dialogs.submitted(data)
        command, requester = meta.get("command"), requester_of(ctx.activity)
        if not isinstance(command, str):
            return dialogs.closed("This is not one of the agenda's forms.")
        try:
            result = await asyncio.to_thread(
                submit_form, values, form_key=meta.get("key"), expected_version=meta.get("version"),
                opened_at=str(meta.get("opened_at") or "1970-01-01T00:00:00+00:00"), ports=self.ports,
                requester=requester,
            )  # fmt: skip
        except Exception:
            logger.exception("form submission failed in Teams for %s", requester.user_ref)
            return dialogs.closed("It could not be saved: please try again.")
        if result.errors:  # the same dialog again, what was typed kept, each error under its field
            fresh = await self.answer(command, requester)
            if fresh.form is None:
                return dialogs.closed(render(fresh).summary)
            form = dataclasses.replace(
                fresh.form, key=meta.get("key"), version=meta.get("version"), opened_at=str(meta.get("opened_at"))
            )
            return dialogs.dialog(form, command=command, values=values, errors=result.errors)
        if result.reply is not None:
            await self.send(ctx, result.reply)
            return dialogs.closed(render(result.reply).summary)
        return dialogs.closed("Saved.")

    async def on_installed(self, ctx) -> None:
        await self.remember(ctx.activity)

    async def on_uninstalled(self, ctx) -> None:
        await self.forget(ctx.activity, "the app was uninstalled")

    async def on_conversation_update(self, ctx) -> None:
        activity = ctx.activity
        bot_id = activity.recipient.id
        if any(m.id == bot_id for m in activity.members_removed or []):
            await self.forget(activity, "the bot was removed from the conversation")
        else:  # added, renamed, members joining: all say the conversation exists
            await self.remember(activity)

    # -- helpers -----------------------------------------------------------------------

    def render(self, reply: Reply) -> TeamsMessage:
        return render(reply)

    async def send(self, ctx, reply: Reply, message: TeamsMessage | None = None) -> bool:
        message = message or self.render(reply)
        return await self._post(ctx, message.cards, message.summary)

    async def _post(self, ctx, cards: list, summary: str) -> bool:
        """Post cards in the conversation; False if Teams refused (logged, not raised: an
        exception here would answer Teams with 500 and invite a retry of the whole turn)."""
        try:
            for card in cards:
                await ctx.send(MessageActivityInput(summary=summary).add_card(card))
        except httpx.HTTPError as exc:
            status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else type(exc).__name__
            logger.warning("Teams refused a reply in %s: %s", ctx.activity.conversation.id, status)
            return False
        return True

    async def answer(
        self, text: str, requester: Requester, *, page: int = 1, audience: Visibility = Visibility.private
    ) -> Reply:
        """Run the neutral handler off the event loop; never let it raise."""
        try:
            return await asyncio.to_thread(
                answer, text, ports=self.ports, requester=requester, page=page, audience=audience
            )
        except Exception:
            logger.exception("agenda failed in Teams for %s", requester.user_ref)
            return Reply(
                title="Something went wrong on our side",
                sections=[Section(body="The error is logged. Please try again in a moment.")],
                tone=Tone.error,
            )

    async def remember(self, activity) -> None:
        ref = reference_of(activity)
        stored, at = self._known.get(ref.conversation_id, (None, 0.0))
        if stored == ref and time.monotonic() - at < REMEMBERED_FOR_SECONDS:
            return
        now = self.ports.clock.now()
        try:
            await asyncio.to_thread(self._with_session, conversations.remember, ref, now=now)
        except Exception:  # answering matters more than remembering: the next message tries again
            logger.exception("could not store the Teams conversation %s", ref.conversation_id)
            return
        self._known[ref.conversation_id] = (ref, time.monotonic())

    async def forget(self, activity, reason: str) -> None:
        conversation_id = conversations.base_conversation_id(activity.conversation.id)
        self._known.pop(conversation_id, None)
        now = self.ports.clock.now()
        await asyncio.to_thread(self._with_session, conversations.deactivate, conversation_id, reason=reason, now=now)

    def _with_session(self, function, *args, **kwargs):
        with self.ports.open_session() as session:
            return function(session, *args, **kwargs)


def reference_of(activity) -> conversations.Reference:
    conversation = activity.conversation
    sender = activity.from_
    kind = conversation.conversation_type or "personal"
    return conversations.Reference(
        conversation_id=conversations.base_conversation_id(conversation.id),
        conversation_type=kind,
        service_url=activity.service_url or "",
        tenant_id=conversation.tenant_id,
        bot_id=activity.recipient.id,
        user_ref=user_ref(sender.aad_object_id, sender.id) if kind == "personal" and sender else None,
    )


def _kind(verb: str | None) -> ActionKind | None:
    try:
        return ActionKind((verb or "").removeprefix(VERB_PREFIX)) if (verb or "").startswith(VERB_PREFIX) else None
    except ValueError:
        return None


def _query(data: dict | None) -> tuple[str | None, int]:
    try:
        return str(data["q"]), max(1, int(data.get("p", 1)))
    except (KeyError, TypeError, ValueError):
        return None, 1
