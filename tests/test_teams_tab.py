"""The dashboard as the Teams personal tab: Teams SSO tokens checked for real.

Entra ID is faked on loopback: the fake Teams (tests/fakes/teams_connector.py)
publishes the public half of a test RSA key as a tenant's signing keys, and
tokens are signed here with its private half, shaped as Teams' getAuthToken()
returns them. The real server checks each one; what a valid token opens is
the same page a dashboard link gives that person, and nothing opens without one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import shutil
import time
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from sqlmodel import select

from bot.entra_tokens import EntraTokens, InvalidToken, SigningKeys
from bot.teams_tab import FRAME_ANCESTORS, TEAMS_JS
from handlers import answer
from handlers.domain.ports import Requester
from handlers.views.reply import Tone
from models.db import make_engine, session
from models.tables import Commitment, Person
from scheduling.clock import FixedClock
from tests import test_teams_auth as teams_auth_tests
from tests.conftest import TODAY, ports_for, settings_for
from tests.live_server import live_server
from tests.teams_activities import APP_ID, Signer

PUBLIC = "https://agenda.example.org"
APP_ID_URI = f"api://agenda.example.org/{APP_ID}"
TENANT = "7f3b6a2e-1c4d-4e8f-9a0b-2c3d4e5f6a7b"
OTHER_TENANT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
OWNER_OID = "11111111-2222-4333-8444-555555555555"
COORD_OID = "22222222-3333-4444-8555-666666666666"
MEMBER_OID = "33333333-4444-4555-8666-777777777777"
JAPANESE_OID = "44444444-5555-4666-8777-888888888888"  # chose Japanese in chat
ADMIN = Requester(user_ref="slack:UADMIN")
SECRET = "2005-E1"
LIBRARY_SHA256 = "1737ae2e319c8ab56d71d2218fd5a49d96a8ad70eb01ff2e9ab7e35093b93379"  # bot/static/teams-js/README.md


def entra_token(signer: Signer, oid: str | None, *, tenant: str = TENANT, **changes) -> str:
    """A token as getAuthToken() gives it (v2 issuer), with ``changes`` to its claims;
    ``headers`` and ``key`` change how it is signed."""
    now = int(time.time())
    claims = {
        "aud": APP_ID_URI,
        "iss": f"https://login.microsoftonline.com/{tenant}/v2.0",
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "tid": tenant,
        "oid": oid,
        "scp": "access_as_user",
        "name": "Someone",
        "ver": "2.0",
    }
    headers = {"kid": signer.kid} | changes.pop("headers", {})
    key = changes.pop("key", signer.key)
    claims = {k: v for k, v in (claims | changes).items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers=headers)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(claims: dict, header: dict) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."


def hs256_with_public_key(signer: Signer, oid: str) -> str:
    """The classic confusion: HMAC keyed with the (public) RSA key."""
    claims = jwt.decode(entra_token(signer, oid), options={"verify_signature": False})
    head = unsigned(claims, {"alg": "HS256", "typ": "JWT", "kid": signer.kid})[:-1]
    public = signer.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return head + "." + _b64(hmac.new(public, head.encode(), hashlib.sha256).digest())


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer(kid="entra-test-key")


# The Teams sign-in tests' fake, publishing this module's key: its …/keys answers any tenant's keys path.
fake_entra = teams_auth_tests.fake_teams


@pytest.fixture(scope="module")
def tab(tmp_path_factory, sqlite_template, fake_entra):
    """The seeded agenda with SECRET restricted and owned by OWNER_OID, COORD_OID a coordinator; served."""
    path = tmp_path_factory.mktemp("teams-tab") / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    ports = ports_for(engine, admins=frozenset({ADMIN.user_ref}), public_url=PUBLIC)
    with session(engine) as db:
        db.add(Person(user_ref=f"teams:{MEMBER_OID}", display_name="Ada Member"))
        db.add(Person(user_ref=f"teams:{JAPANESE_OID}", display_name="Junko", language="ja"))
        db.commit()
        secret_title = db.exec(select(Commitment.title).where(Commitment.key == SECRET)).one()
    for words in (
        f"assign {SECRET} <@teams:{OWNER_OID}>",
        f"sensitivity {SECRET} restricted",
        f"role <@teams:{COORD_OID}> coordinator",
    ):
        assert answer(words, ports=ports, requester=ADMIN).tone == Tone.answer, words
    engine.dispose()
    settings = settings_for(
        f"sqlite:///{path}",
        scheduler_enabled=False,
        public_url=PUBLIC,
        teams_client_id=APP_ID,
        teams_client_secret="test-secret-not-used-offline",
        teams_tenant_id=TENANT,
        teams_openid_metadata_url=fake_entra.openid_metadata_url,
        teams_tab_keys_url=fake_entra.url + "{tenant}/discovery/v2.0/keys",
    )
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        yield {"base": base, "secret": secret_title}


def page(tab, path: str = "", token: str | None = None, **params) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(f"{tab['base']}/teams/tab/page/{path}", headers=headers, params=params, timeout=10)


# -- the shell Teams frames ------------------------------------------------------------


def test_the_shell_may_be_framed_by_teams_only_and_holds_no_data(tab, signer):
    shell = httpx.get(tab["base"] + "/teams/tab/", timeout=10)
    assert shell.status_code == 200
    policy = shell.headers["content-security-policy"]
    assert f"frame-ancestors {FRAME_ANCESTORS}" in policy and "'none'" not in policy.split("frame-ancestors")[1]
    assert "https://teams.microsoft.com" in FRAME_ANCESTORS and "https://*.cloud.microsoft" in FRAME_ANCESTORS
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy and "unsafe" not in policy
    assert "x-frame-options" not in shell.headers and shell.headers["cache-control"] == "no-store"
    assert f'<script src="/teams/tab/js/{TEAMS_JS}"></script>' in shell.text  # our origin, no CDN
    assert "/agenda dashboard" in shell.text  # the way out when sign-in fails
    assert "2002-A4" not in shell.text and "Counter-terrorism" not in shell.text
    assert httpx.get(tab["base"] + "/teams/tab/item/2002-A4", timeout=10).text == shell.text
    # In the language Teams puts in the tab's address ({app.locale}), its script's few words too.
    japanese = httpx.get(tab["base"] + "/teams/tab/?locale=ja-jp", timeout=10).text
    assert '<html lang="ja">' in japanese and 'data-not-found="見つかりません"' in japanese
    assert "Teams でこのタブにサインインできなかったため" in japanese and "Signing you in" not in japanese
    french = httpx.get(tab["base"] + "/teams/tab/?locale=fr-ca", timeout=10).text
    assert '<html lang="fr">' in french and 'data-not-signed-in="Non connecté"' in french
    # Pages with data, the tab's or a link's, may be framed by nobody.
    data = page(tab, token=entra_token(signer, MEMBER_OID))
    link = httpx.get(tab["base"] + "/dashboard/" + "A" * 43 + "/", timeout=10)
    for response in (data, link):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"


def test_the_teams_library_is_the_pinned_file_from_our_origin(tab):
    library = httpx.get(f"{tab['base']}/teams/tab/js/{TEAMS_JS}", timeout=10)
    assert library.status_code == 200 and library.headers["content-type"].startswith("text/javascript")
    assert hashlib.sha256(library.content).hexdigest() == LIBRARY_SHA256
    license_text = (Path(__file__).parent.parent / "bot/static/teams-js/LICENSE").read_text()
    assert "MIT License" in license_text and "Microsoft Corporation" in license_text
    script = httpx.get(f"{tab['base']}/teams/tab/js/tab.js", timeout=10)
    assert script.status_code == 200 and "getAuthToken" in script.text and "Authorization" in script.text
    assert httpx.get(f"{tab['base']}/teams/tab/js/..%2F..%2Fsettings.py", timeout=10).status_code == 404


# -- what a token opens ----------------------------------------------------------------


def test_a_valid_token_opens_that_persons_dashboard_and_no_more(tab, signer):
    member = entra_token(signer, MEMBER_OID)
    shown = page(tab, token=member)
    assert shown.status_code == 200 and "<h1>Dashboard</h1>" in shown.text
    assert "what Ada Member may see" in shown.text  # the token's oid is the person's Teams ref
    assert 'href="item/2002-A4"' in shown.text
    for text in (shown.text, page(tab, "export.csv", member).text, page(tab, "export.json", member).text):
        assert SECRET not in text and tab["secret"] not in text
    hidden = page(tab, f"item/{SECRET}", member)
    assert (hidden.status_code, hidden.text) == (404, "Not Found")
    assert page(tab, "item/2002-A4", member).status_code == 200
    filtered = page(tab, token=member, area="counter-terrorism")
    assert 'value="counter-terrorism" selected' in filtered.text
    for oid in (OWNER_OID, COORD_OID):  # its owner, and a coordinator, see the restricted item
        token = entra_token(signer, oid)
        assert SECRET in page(tab, token=token).text
        assert page(tab, f"item/{SECRET}", token).status_code == 200
        assert SECRET in page(tab, "export.csv", token).text


def test_the_tab_shows_the_page_in_the_signed_in_person_s_language(tab, signer):
    token = entra_token(signer, JAPANESE_OID)
    shown = page(tab, token=token)
    assert '<html lang="ja">' in shown.text and "<h1>ダッシュボード</h1>" in shown.text
    assert "Junko さん" in shown.text
    item = page(tab, "item/2002-A4", token).text
    assert '<html lang="ja">' in item and "合意文（英語）" in item
    assert '<html lang="en">' in page(tab, token=entra_token(signer, MEMBER_OID)).text


def test_a_v1_token_for_the_app_id_uri_works_too(tab, signer):
    v1 = entra_token(signer, MEMBER_OID, iss=f"https://sts.windows.net/{TENANT}/", ver="1.0")
    v2_client_id = entra_token(signer, MEMBER_OID, aud=APP_ID)  # v2 tokens carry the client id as audience
    assert page(tab, token=v1).status_code == 200
    assert page(tab, token=v2_client_id).status_code == 200


def bad_tokens(signer: Signer) -> dict[str, tuple[str, str]]:
    """Every way a token can be wrong: (token, the reason the server logs)."""
    impostor = Signer(kid=signer.kid)  # same key id, another key
    now = int(time.time())
    claims = jwt.decode(entra_token(signer, MEMBER_OID), options={"verify_signature": False})
    other_issuer = f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0"
    return {
        "expired": (entra_token(signer, MEMBER_OID, iat=now - 7200, nbf=now - 7200, exp=now - 3600), "expired"),
        "not yet valid": (entra_token(signer, MEMBER_OID, nbf=now + 3600), "ImmatureSignature"),
        "wrong audience": (entra_token(signer, MEMBER_OID, aud=f"api://agenda.example.org/{OTHER_TENANT}"), "audience"),
        "graph audience": (entra_token(signer, MEMBER_OID, aud="https://graph.microsoft.com"), "audience"),
        "wrong issuer": (entra_token(signer, MEMBER_OID, iss="https://evil.example/v2.0"), "wrong issuer"),
        "issuer of another tenant": (entra_token(signer, MEMBER_OID, iss=other_issuer), "wrong issuer"),
        "tenant not allowed": (entra_token(signer, MEMBER_OID, tenant=OTHER_TENANT), "tenant not allowed"),
        "bad signature": (entra_token(impostor, MEMBER_OID, key=impostor.key), "bad signature"),
        "unknown key": (entra_token(signer, MEMBER_OID, headers={"kid": "someone-elses"}), "does not publish"),
        "alg none": (unsigned(claims, {"alg": "none", "typ": "JWT", "kid": signer.kid}), "'none' is not accepted"),
        "HS256 keyed with the public key": (hs256_with_public_key(signer, MEMBER_OID), "'HS256' is not accepted"),
        "no scope (an app-only token)": (entra_token(signer, MEMBER_OID, scp=None, roles=["Read"]), "scope"),
        "no object id": (entra_token(signer, None), "MissingRequiredClaim"),
        "not a JWT": ("not-a-token", "not a JWT"),
    }


def test_every_bad_token_gets_401_and_no_data(tab, signer):
    bad = {why: token for why, (token, _) in bad_tokens(signer).items()}
    for why, token in bad.items():
        refused = page(tab, token=token)
        assert (refused.status_code, refused.text) == (401, "Unauthorized"), why
        assert refused.headers["www-authenticate"].startswith("Bearer"), why
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Basic " + entra_token(signer, MEMBER_OID)}):
        for path in ("", "item/2002-A4", "export.csv", "export.json"):
            refused = httpx.get(f"{tab['base']}/teams/tab/page/{path}", headers=headers, timeout=10)
            assert (refused.status_code, refused.text) == (401, "Unauthorized"), (headers, path)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(("httpx", "httpcore")):  # the test's own client
            self.lines.append(self.format(record))


def test_tokens_never_reach_the_logs(tab, signer):
    collect = _Collect()
    loggers = [logging.getLogger(name) for name in ("", "uvicorn.access", "bot", "handlers")]
    levels = [lg.level for lg in loggers]
    good = entra_token(signer, MEMBER_OID)
    expired = entra_token(signer, MEMBER_OID, iat=1, nbf=1, exp=2)
    for lg in loggers:
        lg.addHandler(collect)
        lg.setLevel(logging.DEBUG)
    try:
        assert page(tab, token=good).status_code == 200
        assert page(tab, token=expired).status_code == 401
        assert page(tab, token=good + "x").status_code == 401
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(collect)
            lg.setLevel(level)
    assert any("refused: expired" in line for line in collect.lines)
    for token in (good, expired):
        for part in token.split("."):
            assert not any(part in line for line in collect.lines)


# -- signing keys: fetched once, cached, refetched for a new key ----------------------


async def test_signing_keys_are_cached_and_refetched_only_for_an_unknown_key(signer):
    fetched: list[str] = []
    now = [1000.0]
    published = {"keys": [signer.jwk()]}

    async def fetch(url: str) -> dict:
        fetched.append(url)
        return published

    keys = SigningKeys("https://login.example/{tenant}/keys", fetch=fetch, now=lambda: now[0])
    tokens = EntraTokens(client_id=APP_ID, app_id_uri=APP_ID_URI, tenants=frozenset({TENANT}), keys=keys)
    assert (await tokens.user(entra_token(signer, MEMBER_OID))).object_id == MEMBER_OID
    await tokens.user(entra_token(signer, OWNER_OID))
    assert fetched == [f"https://login.example/{TENANT}/keys"]  # once for both
    rolled = Signer(kid="rolled-key")
    with pytest.raises(InvalidToken):
        await tokens.user(entra_token(rolled, MEMBER_OID))  # not published yet; fetched a moment ago
    assert len(fetched) == 1
    published = {"keys": [signer.jwk(), rolled.jwk()]}
    now[0] += 301  # a few minutes on, an unknown key id is worth one more look
    assert (await tokens.user(entra_token(rolled, MEMBER_OID))).object_id == MEMBER_OID
    assert len(fetched) == 2
    with pytest.raises(InvalidToken, match="tenant not allowed"):
        await tokens.user(entra_token(signer, MEMBER_OID, tenant=OTHER_TENANT))
    assert len(fetched) == 2  # nothing is fetched for a tenant that is not allowed


async def test_each_bad_token_is_refused_for_its_own_reason(signer):
    async def fetch(url: str) -> dict:
        return {"keys": [signer.jwk()]}

    keys = SigningKeys("https://login.example/{tenant}/keys", fetch=fetch)
    tokens = EntraTokens(client_id=APP_ID, app_id_uri=APP_ID_URI, tenants=frozenset({TENANT}), keys=keys)
    for why, (token, reason) in bad_tokens(signer).items():
        with pytest.raises(InvalidToken, match=reason) as refused:
            await tokens.user(token)
        assert token not in str(refused.value), why


async def test_while_the_keys_cannot_be_fetched_tokens_are_refused_without_a_fetch_each(signer):
    calls: list[str] = []
    now = [1000.0]
    down = [True]

    async def fetch(url: str) -> dict:
        calls.append(url)
        if down[0]:
            raise httpx.ConnectError("no route to login.microsoftonline.com")
        return {"keys": [signer.jwk()]}

    keys = SigningKeys("https://login.example/{tenant}/keys", fetch=fetch, now=lambda: now[0])
    tokens = EntraTokens(client_id=APP_ID, app_id_uri=APP_ID_URI, tenants=frozenset({TENANT}), keys=keys)
    token = entra_token(signer, MEMBER_OID)
    for _ in range(3):
        with pytest.raises(InvalidToken, match="could not be fetched"):
            await tokens.user(token)
    assert len(calls) == 1
    down[0] = False
    now[0] += 31
    assert (await tokens.user(token)).object_id == MEMBER_OID
    assert len(calls) == 2
