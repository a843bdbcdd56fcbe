"""The Teams front end: a Teams SDK ``App`` whose messaging endpoint is a
route of our Starlette app (see adapter.py).

Every option the SDK would otherwise find in generic environment variables
(CLIENT_ID, TENANT_ID, SERVICE_URL, CLOUD, …) is passed from our namespaced
settings, and those names are hidden while the App is built, so an unrelated
``CLIENT_ID`` in the environment cannot switch Teams on or change who we are.

What the bot does with each activity is in front.py (messages, buttons,
installs) and forms.py (dialogs).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from microsoft_teams.api import ApiClientSettings
from microsoft_teams.api.auth.cloud_environment import CloudEnvironment, from_name, with_overrides
from microsoft_teams.apps import App
from opentelemetry import metrics as otel_metrics
from opentelemetry.metrics import NoOpMeterProvider

from bot.metrics import Metrics
from bot.names import NameBook
from bot.seen_requests import SeenRequests
from bot.settings import Settings
from bot.teams.adapter import StarletteAdapter
from bot.teams.forms import TeamsForms
from bot.teams.front import TeamsFrontEnd
from bot.teams.people import TeamsAddresses
from bot.teams.redelivery import refuse_copies
from handlers.domain.ports import Ports

MESSAGING_ENDPOINT = "/api/messages"
# Every name microsoft-teams-apps 2.1.1 reads from the environment while an App is built.
SDK_GENERIC_NAMES = (
    "CLIENT_ID", "CLIENT_SECRET", "TENANT_ID", "MANAGED_IDENTITY_CLIENT_ID", "SERVICE_URL", "CLOUD",
    "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "OAUTH_URL",
)  # fmt: skip


def _keep_no_opentelemetry_meters() -> None:
    """The SDK asks OpenTelemetry for a meter on every handler run and outbound call.
    With no meter provider configured, OpenTelemetry's stand-in provider keeps every
    meter it hands out (so a provider set later can adopt them): a replica answering
    Teams grew by ~4 KB per message without bound (bench/soak.py). We export metrics
    with prometheus-client; a no-op provider keeps nothing. A deployment that set
    up OpenTelemetry itself keeps its own provider."""
    if type(otel_metrics.get_meter_provider()).__name__ == "_ProxyMeterProvider":  # nobody set one
        otel_metrics.set_meter_provider(NoOpMeterProvider())


def cloud_of(settings: Settings) -> CloudEnvironment:
    cloud = from_name(settings.teams_cloud)
    return with_overrides(cloud, openid_metadata_url=settings.teams_openid_metadata_url)


def create_teams_app(
    *,
    settings: Settings,
    ports: Ports,
    adapter: StarletteAdapter,
    token=None,
    metrics: Metrics | None = None,
    addresses: TeamsAddresses | None = None,
    names: NameBook | None = None,
) -> App:
    """The SDK app, configured only from ``settings``. ``token`` (a token provider)
    replaces the client secret, for callers that obtain tokens another way.
    ``addresses`` learns the email addresses of the people who write to the bot;
    ``names`` shows people by name in cards."""
    _keep_no_opentelemetry_meters()
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
    app.use(refuse_copies(SeenRequests("teams", ports.open_session)))  # first: before any handler runs
    front = TeamsFrontEnd(ports, metrics, addresses, names, import_max_bytes=settings.import_max_bytes)
    app.on_message(front.on_message)
    app.on_card_action(front.on_card_action)
    forms = TeamsForms(front)
    app.on_dialog_open(forms.on_open)
    app.on_dialog_submit(forms.on_submit)
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
