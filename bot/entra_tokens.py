"""Entra ID access tokens from Teams tab single sign-on (``authentication.getAuthToken()``).

The Teams client asks Entra ID for a token *for our app* on behalf of the
person who opened the tab; the tab's script sends it to us and we check it
as Microsoft documents for SSO tokens (tabs/how-to/authentication/tab-sso-code):

- signed with RS256 by one of the tenant's published keys (its JWKS, fetched
  with httpx and cached; an unknown key id refetches, at most every few minutes);
- issued by Entra ID for an allowed tenant (v2 ``login…/{tid}/v2.0`` or v1
  ``https://sts.windows.net/{tid}/``): the tenant is checked *before* any key is
  fetched, so a token cannot make us fetch from an arbitrary tenant;
- for us: the audience is our app id URI (``api://<host>/<client id>``, the
  manifest's ``webApplicationInfo.resource``), or our client id, which is what
  Entra puts in v2 tokens;
- a delegated user token (scope ``access_as_user``) with an object id, not
  expired and not before its time.

Anything else raises ``InvalidToken`` with a short reason that logs may carry;
the token itself is never logged.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import jwt

logger = logging.getLogger(__name__)

LOGIN_HOSTS = {  # where each cloud's Entra ID issues tokens (as microsoft-teams-api's CloudEnvironment says)
    "public": "https://login.microsoftonline.com",
    "usgov": "https://login.microsoftonline.us",
    "usgovdod": "https://login.microsoftonline.us",
    "china": "https://login.partner.microsoftonline.cn",
}
V1_ISSUER = "https://sts.windows.net/{tenant}/"
SCOPE = "access_as_user"  # the scope the app registration exposes for Teams SSO
LEEWAY_SECONDS = 60  # clock skew between Entra ID and us
KEYS_FRESH_SECONDS = 24 * 3600  # Entra rolls its keys with weeks of overlap; a day is safe
REFETCH_AFTER_SECONDS = 300  # an unknown key id refetches, but not more often than this
RETRY_AFTER_FAILURE_SECONDS = 30  # after a failed fetch, requests are refused at once for a while
FETCH_TIMEOUT_SECONDS = 5.0
_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")

Fetch = Callable[[str], Awaitable[dict]]


class InvalidToken(Exception):
    """The token opens nothing; ``str(exc)`` is a reason fit for a log line (never the token)."""


@dataclass(frozen=True)
class EntraUser:
    object_id: str  # ``oid``: the person's Entra object id, as Teams activities carry it (aadObjectId)
    tenant_id: str
    name: str | None


async def fetch_json(url: str) -> dict:
    async with httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False) as client:
        response = await client.get(url, headers={"Accept": "application/json"})
        response.raise_for_status()
        return response.json()


class SigningKeys:
    """Each tenant's signing keys (kid → key), fetched on first use and kept for a day."""

    def __init__(self, keys_url: str, *, fetch: Fetch = fetch_json, now: Callable[[], float] = time.monotonic) -> None:
        self.keys_url = keys_url  # with "{tenant}" where the tenant id goes
        self._fetch = fetch
        self._now = now
        self._keys: dict[str, tuple[float, dict[str, jwt.PyJWK]]] = {}  # tenant → (fetched at, keys)
        self._locks: dict[str, asyncio.Lock] = {}
        self._failed: dict[str, float] = {}  # tenant → when its keys last failed to come
        self.fetches = 0

    async def key(self, tenant: str, kid: str) -> jwt.PyJWK:
        fetched_at, keys = self._keys.get(tenant, (None, {}))
        stale = fetched_at is None or self._now() - fetched_at > KEYS_FRESH_SECONDS
        if kid in keys and not stale:
            return keys[kid]
        if stale or self._now() - fetched_at > REFETCH_AFTER_SECONDS:
            failed = self._failed.get(tenant)
            if failed is not None and self._now() - failed < RETRY_AFTER_FAILURE_SECONDS:
                raise InvalidToken("the tenant's signing keys could not be fetched (recently)")
            keys = await self._refresh(tenant, fetched_at)
        if kid not in keys:
            raise InvalidToken("signed with a key the tenant does not publish")
        return keys[kid]

    async def _refresh(self, tenant: str, seen: float | None) -> dict[str, jwt.PyJWK]:
        async with self._locks.setdefault(tenant, asyncio.Lock()):
            fetched_at, keys = self._keys.get(tenant, (None, {}))
            if fetched_at != seen:  # another request refreshed them while this one waited
                return keys
            url = self.keys_url.format(tenant=tenant)
            self.fetches += 1
            try:
                document = await self._fetch(url)
                keys = {}
                for jwk in document.get("keys", []):
                    if jwk.get("kty") == "RSA" and jwk.get("kid") and jwk.get("use", "sig") == "sig":
                        keys[jwk["kid"]] = jwt.PyJWK(jwk, algorithm="RS256")
            except (httpx.HTTPError, ValueError, AttributeError, jwt.PyJWKError) as exc:
                logger.warning("could not fetch the signing keys of tenant %s: %r", tenant, exc)
                self._failed[tenant] = self._now()  # an outage is not a fetch per request
                raise InvalidToken("the tenant's signing keys could not be fetched") from exc
            self._keys[tenant] = (self._now(), keys)
            self._failed.pop(tenant, None)
            return keys


class EntraTokens:
    """Validates tab SSO tokens for one app; see the module's docstring for every check."""

    def __init__(
        self,
        *,
        client_id: str,
        app_id_uri: str,
        tenants: frozenset[str],
        cloud: str = "Public",
        keys: SigningKeys | None = None,
    ) -> None:
        login = LOGIN_HOSTS[cloud.lower()]
        self.client_id = client_id
        self.audiences = [app_id_uri, client_id]
        self.tenants = frozenset(t.lower() for t in tenants)
        self._login = login
        self.keys = keys or SigningKeys(f"{login}/{{tenant}}/discovery/v2.0/keys")

    def issuers(self, tenant: str) -> list[str]:
        return [f"{self._login}/{tenant}/v2.0", V1_ISSUER.format(tenant=tenant)]

    async def user(self, token: str) -> EntraUser:
        """The person the token speaks for, or InvalidToken."""
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise InvalidToken("not a JWT") from exc
        if header.get("alg") != "RS256":  # "none", HS256 (a public key used as a secret), anything else
            raise InvalidToken(f"algorithm {str(header.get('alg'))[:10]!r} is not accepted")
        tenant = str(unverified.get("tid", ""))
        if not _GUID.fullmatch(tenant) or tenant.lower() not in self.tenants:
            raise InvalidToken("tenant not allowed")  # before any key is fetched for it
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("no key id")
        key = await self.keys.key(tenant, kid)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self.audiences,
                issuer=self.issuers(tenant),
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "aud", "iss", "tid", "oid"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise InvalidToken("not for this app (audience)") from exc
        except jwt.InvalidIssuerError as exc:
            raise InvalidToken("wrong issuer") from exc
        except jwt.InvalidSignatureError as exc:
            raise InvalidToken("bad signature") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"invalid: {type(exc).__name__}") from exc
        if claims["tid"] != tenant:
            raise InvalidToken("tenant changed")
        if SCOPE not in str(claims.get("scp", "")).split():
            raise InvalidToken(f"not a delegated token with the {SCOPE} scope")
        oid = str(claims["oid"])
        if not _GUID.fullmatch(oid):
            raise InvalidToken("object id is not a GUID")
        name = claims.get("name")
        return EntraUser(object_id=oid, tenant_id=tenant, name=name if isinstance(name, str) else None)
