"""A fake Teams on loopback: the Bot Connector REST API that replies and
proactive messages are posted to (``POST /v3/conversations/{id}/activities``),
conversation members (``GET /v3/conversations/{id}/members/{member id}``, from
``members``), and the Bot Framework's OpenID metadata and signing keys, so
inbound tokens can be validated for real against keys we hold. Every request
it records is signalled, so tests wait for what must happen (``wait_until``)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar
from urllib.parse import unquote

T = TypeVar("T")


@dataclass
class Posted:
    conversation_id: str
    headers: dict[str, str]
    activity: dict
    at: float


@dataclass
class FakeTeams:
    server: ThreadingHTTPServer
    jwks: dict = field(default_factory=lambda: {"keys": []})
    posted: list[Posted] = field(default_factory=list)
    created: list[dict] = field(default_factory=list)  # POST /v3/conversations bodies (new 1:1 chats)
    # conversation id → responses to give, in order, before accepting: (status, headers, body)
    failing: dict[str, list[tuple[int, dict, dict]]] = field(default_factory=dict)
    # member id ("29:…") → the TeamsChannelAccount JSON to answer with, or an HTTP status to fail with,
    # or "drop" to close the connection unanswered. Anyone else: 404, as Teams answers for a non-member.
    members: dict[str, dict | int | str] = field(default_factory=dict)
    member_requests: list[tuple[str, str]] = field(default_factory=list)  # (conversation id, member id)
    key_requests: list[str] = field(default_factory=list)  # paths of signing-key requests (…/keys)
    files: dict[str, bytes] = field(default_factory=dict)  # name → bytes served at download_url(name)
    file_requests: list[str] = field(default_factory=list)  # names downloaded
    lock: threading.Condition = field(default_factory=threading.Condition)  # notified on every record

    def download_url(self, name: str) -> str:
        return f"{self.url}files/{name}"

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def openid_metadata_url(self) -> str:
        return f"{self.url}v1/.well-known/openidconfiguration"

    def activities(self, conversation_id: str | None = None) -> list[dict]:
        with self.lock:
            return [p.activity for p in self.posted if conversation_id in (None, p.conversation_id)]

    def cards(self, conversation_id: str | None = None) -> list[dict]:
        return [
            a["content"]
            for activity in self.activities(conversation_id)
            for a in activity.get("attachments", [])
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    def wait_until(self, found: Callable[[], T], what: str, timeout: float = 10.0) -> T:
        """Wait for ``found()`` to be truthy, woken by each request as it is recorded; return it."""
        with self.lock:  # reentrant: found() may take it again
            if result := self.lock.wait_for(found, timeout):
                return result
            got = len(self.posted)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}; {got} activities posted")

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict]:
        return self.wait_until(lambda: found if len(found := self.activities()) >= count else None,
                               f"{count} activities", timeout)  # fmt: skip

    def clear(self) -> None:
        with self.lock:
            self.posted.clear()
            self.created.clear()
            self.failing.clear()
            self.member_requests.clear()

    def member_calls(self) -> list[tuple[str, str]]:
        with self.lock:
            return list(self.member_requests)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_fake_teams() -> FakeTeams:
    fake: FakeTeams

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path.startswith("/files/"):  # an attachment's pre-authenticated downloadUrl
                name = unquote(self.path.removeprefix("/files/"))
                with fake.lock:
                    fake.file_requests.append(name)
                    data = fake.files.get(name)
                if data is None:
                    self._send(404, {"error": {"code": "NotFound"}})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif self.path.endswith("/openidconfiguration"):
                keys = f"{fake.url}v1/.well-known/keys"
                self._send(200, {"issuer": "https://api.botframework.com", "jwks_uri": keys})
            elif self.path.endswith("/keys"):
                with fake.lock:
                    fake.key_requests.append(self.path)
                self._send(200, fake.jwks)
            elif (
                len(parts := self.path.strip("/").split("/")) == 5
                and parts[:2] == ["v3", "conversations"]
                and parts[3] == "members"
            ):
                self._member(unquote(parts[2]), unquote(parts[4]))
            else:
                self._send(404, {"error": {"code": "NotFound"}})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            parts = self.path.strip("/").split("/")
            if parts == ["v3", "conversations"]:
                self._create(body)
                return
            if len(parts) < 4 or parts[0] != "v3" or parts[1] != "conversations" or parts[3] != "activities":
                self._send(404, {"error": {"code": "NotFound"}})
                return
            conversation_id = unquote(parts[2])
            with fake.lock:
                queued = fake.failing.get(conversation_id)
                failure = queued.pop(0) if queued else None
                if failure is None:
                    fake.posted.append(Posted(conversation_id, dict(self.headers), body, time.monotonic()))
                fake.lock.notify_all()
            if failure is not None:
                status, headers, payload = failure
                self._send(status, payload, headers)
            else:
                self._send(201, {"id": f"1:{len(fake.posted)}"})

        def _member(self, conversation_id: str, member_id: str) -> None:
            with fake.lock:
                fake.member_requests.append((conversation_id, member_id))
                fake.lock.notify_all()
                member = fake.members.get(member_id, 404)
            if member == "drop":
                self.close_connection = True  # no status line at all: the client sees the connection end
                self.connection.shutdown(socket.SHUT_RDWR)
            elif isinstance(member, int):
                self._send(member, {"error": {"code": "NotFound" if member == 404 else "ServiceError"}})
            else:
                self._send(200, member)

        def _create(self, body: dict) -> None:
            with fake.lock:
                fake.created.append(body)
                fake.lock.notify_all()
                queued = fake.failing.get("create")
                failure = queued.pop(0) if queued else None
            if failure is not None:
                self._send(*failure[::2], failure[1])
            else:
                self._send(201, {"id": f"a:created-{body['members'][0]['id']}", "serviceUrl": fake.url})

        def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeTeams(server=server)
    # close() waits until serve_forever notices the shutdown, up to one poll interval: the default 0.5 s
    # was half a second at the end of every test with a fake (about half a minute of a run), spent idle.
    serve = partial(server.serve_forever, poll_interval=0.05)
    threading.Thread(target=serve, daemon=True, name="fake-teams").start()
    return fake
