"""Inbound tokens, validated for real by the SDK against signing keys that a
fake Bot Framework publishes on loopback (TEAMS_OPENID_METADATA_URL points at
it); and our settings, not the SDK's generic environment names or a .env
file, decide how Teams is configured."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap

import httpx
import pytest
from sqlmodel import select

from bot.logs import configure_logging
from bot.settings import Settings
from bot.teams.adapter import StarletteAdapter
from bot.teams.app import create_teams_app
from bot.web import create_web_app
from handlers.domain.ports import Ports
from models.db import make_engine, session
from models.tables import TeamsConversation
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import live_server
from tests.teams_activities import APP_ID, PERSONAL, Signer, installation_update, personal_message

GENERIC = {
    "CLIENT_ID": "generic-client-id",
    "CLIENT_SECRET": "generic-secret",
    "TENANT_ID": "generic-tenant",
    "SERVICE_URL": "https://generic.example/",
    "CLOUD": "China",
    "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS": "true",
    "OAUTH_URL": "https://oauth.generic.example",
}


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer()


@pytest.fixture(scope="module")
def fake_teams(signer):
    fake = start_fake_teams()
    fake.jwks = {"keys": [signer.jwk()]}
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def authenticated(tmp_path_factory, sqlite_template, fake_teams):
    path = tmp_path_factory.mktemp("teams-auth") / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(
        f"sqlite:///{path}",
        teams_client_id=APP_ID,
        teams_client_secret="test-secret-not-used-offline",
        teams_openid_metadata_url=fake_teams.openid_metadata_url,
        scheduler_enabled=False,
    )
    with live_server(settings, clock=FixedClock(TODAY)) as url:
        yield url, f"sqlite:///{path}"


def _stored(database_url: str) -> list[TeamsConversation]:
    engine = make_engine(database_url)
    try:
        with session(engine) as db:
            return list(db.exec(select(TeamsConversation)).all())
    finally:
        engine.dispose()


def _post(url: str, activity: dict, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.post(f"{url}/api/messages", json=activity, headers=headers, timeout=10)


def _bad_tokens(signer: Signer, service_url: str) -> dict[str, str | None]:
    stranger = Signer(kid=signer.kid)  # same key id, a key the Bot Framework never published
    return {
        "none": None,
        "not a jwt": "garbage",
        "signed by another key": stranger.token(service_url=service_url),
        "for another bot": signer.token(service_url=service_url, audience="someone-else"),
        "from another issuer": signer.token(service_url=service_url, issuer="https://evil.example"),
        "for another serviceUrl": signer.token(service_url="https://smba.attacker.example/"),
    }


@pytest.mark.parametrize(
    "case",
    ["none", "not a jwt", "signed by another key", "for another bot", "from another issuer", "for another serviceUrl"],
)
def test_a_request_without_a_valid_token_is_rejected_and_does_nothing(authenticated, fake_teams, signer, case):
    url, database_url = authenticated
    fake_teams.posted.clear()
    token = _bad_tokens(signer, fake_teams.url)[case]
    install = installation_update(fake_teams.url)
    message = personal_message("help", fake_teams.url)
    assert _post(url, install, token).status_code == 401
    assert _post(url, message, token).status_code == 401
    assert _stored(database_url) == []
    assert fake_teams.activities() == []


def test_a_token_the_bot_framework_signed_is_accepted(authenticated, fake_teams, signer):
    url, database_url = authenticated
    response = _post(url, installation_update(fake_teams.url), signer.token(service_url=fake_teams.url))
    assert response.status_code == 200
    [conversation] = _stored(database_url)
    assert conversation.conversation_id == PERSONAL and conversation.service_url == fake_teams.url


def test_an_authenticated_activity_the_sdk_cannot_read_is_one_line_in_the_log(authenticated, fake_teams, signer):
    """The SDK logs such an activity with a traceback whose message quotes the activity."""
    url, _ = authenticated
    log = io.StringIO()
    pipeline = configure_logging("INFO", stream=log)
    try:
        unreadable = personal_message("help", fake_teams.url) | {"type": "event", "name": {"secret": "code-27182818"}}
        response = _post(url, unreadable, signer.token(service_url=fake_teams.url))
    finally:
        pipeline.close()
    assert response.status_code == 400
    logged = log.getvalue()
    assert "could not read a request: union_tag_invalid at event" in logged
    assert "Traceback" not in logged and "27182818" not in logged


# -- our settings, not the SDK's generic names ------------------------------------------


def _app(settings: Settings):
    ports = Ports(open_session=lambda: None, clock=FixedClock(TODAY))
    return create_teams_app(settings=settings, ports=ports, adapter=StarletteAdapter())


def test_generic_environment_names_do_not_configure_teams(monkeypatch):
    for name, value in GENERIC.items():
        monkeypatch.setenv(name, value)
    settings = settings_for()
    assert not settings.teams_enabled  # DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS is not ours

    ours = settings_for(teams_client_id=APP_ID, teams_client_secret="ours")
    app = _app(ours)
    assert app.credentials.client_id == APP_ID and app.credentials.client_secret == "ours"
    assert app.credentials.tenant_id is None  # multi-tenant, though TENANT_ID is set
    assert app.cloud.login_endpoint == "https://login.microsoftonline.com"  # not China
    assert app.api.service_url == "https://smba.trafficmanager.net/teams"
    assert app.options.dangerously_allow_unauthenticated_requests is False
    assert {name: os.environ[name] for name in GENERIC} == GENERIC  # given back untouched

    development = _app(settings_for(teams_allow_unauthenticated=True))
    assert development.credentials is None  # CLIENT_ID in the environment is not us


def test_generic_names_cannot_open_the_endpoint(monkeypatch, tmp_path, sqlite_template):
    for name, value in GENERIC.items():
        monkeypatch.setenv(name, value)
    shutil.copy(sqlite_template, tmp_path / "agenda.db")
    settings = settings_for(f"sqlite:///{tmp_path}/agenda.db")
    with live_server(settings.model_copy(update={"scheduler_enabled": False})) as url:
        assert _post(url, personal_message("help", "http://127.0.0.1:9/")).status_code == 503


@pytest.mark.parametrize("module, leaks", [("bot.teams", False), ("microsoft_teams.apps", True)])
def test_the_sdk_import_does_not_load_a_dotenv_file(tmp_path, module, leaks):
    """Importing the SDK directly loads ./.env into the environment; through bot.teams it does not."""
    (tmp_path / ".env").write_text("SLACK_SIGNING_SECRET=from-a-stray-dotenv\nCLIENT_ID=from-dotenv\n")
    script = textwrap.dedent(
        f"""
        import os, {module}
        names = ("SLACK_SIGNING_SECRET", "CLIENT_ID", "PYTHON_DOTENV_DISABLED")
        print(*(os.environ.get(name) for name in names))
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in GENERIC and not k.startswith("SLACK_")}
    env["PYTHONPATH"] = os.getcwd()
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    expected = "from-a-stray-dotenv from-dotenv None" if leaks else "None None None"
    assert result.stdout.split("\n")[-2] == expected


def test_teams_settings_that_contradict_each_other_are_refused_when_serving():
    # Read, they are fine (a Teams package needs the id and no secret); the server refuses them.
    lonely_id = settings_for(teams_client_id=APP_ID)
    with pytest.raises(ValueError, match="TEAMS_CLIENT_SECRET"):
        create_web_app(lonely_id)
    both = settings_for(teams_client_id=APP_ID, teams_client_secret="s", teams_allow_unauthenticated=True)
    with pytest.raises(ValueError, match="development"):
        create_web_app(both)
    with pytest.raises(ValueError, match="SLACK_BOT_TOKEN"):
        create_web_app(settings_for(slack_app_token="xapp-1-x"))
    with pytest.raises(ValueError, match="TEAMS_CLOUD"):
        settings_for(teams_cloud="Mars")


def test_serve_refuses_a_client_id_without_its_secret(monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("TEAMS_CLIENT_ID", APP_ID)
    monkeypatch.delenv("TEAMS_CLIENT_SECRET", raising=False)
    assert main(["serve", "--port", "1"]) == 2
    assert "TEAMS_CLIENT_SECRET are set together" in capsys.readouterr().err
