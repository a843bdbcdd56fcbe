"""A fake Slack on loopback: the Web API (``/api/<method>``) and response_url
webhooks (``/webhook/<id>``). It records every request it receives and
signals each one, so a test waits for what must happen (``wait_until``) rather
than sleeping and hoping that what must not has had its chance.

People are in ``users`` (user id → profile fields: ``tz``, ``email``, ``locale``), for
``users.info`` and ``users.lookupByEmail``. ``delays`` makes a Web API method answer late."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar
from urllib.parse import parse_qs

T = TypeVar("T")


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class FakeSlack:
    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)  # notified on every request
    failing: dict[str, str] = field(default_factory=dict)  # Web API method → the error Slack answers with
    users: dict[str, dict] = field(default_factory=dict)  # user id → {"tz": …, "email": …, "locale": …}
    delays: dict[str, float] = field(default_factory=dict)  # Web API method → seconds before it answers
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id → the bytes files_upload_v2 sent
    files: dict[str, bytes] = field(default_factory=dict)  # name → bytes served at file_url(name), as url_private
    file_requests: list[dict[str, str]] = field(default_factory=list)  # the headers of each file download

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def file_url(self, name: str) -> str:
        """Where a shared file is, as Slack's url_private says (the bot's token opens it)."""
        return f"{self.base_url}/files-pri/T0TEST-F0/{name}"

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.base_url}/webhook/{name}"

    def webhooks(self, name: str | None = None) -> list[dict]:
        with self.lock:
            return [
                r.body
                for r in self.received
                if r.path.startswith("/webhook/") and (name is None or r.path == f"/webhook/{name}")
            ]

    def calls(self, method: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == f"/api/{method}"]

    def wait_until(self, found: Callable[[], T], what: str, timeout: float = 10.0) -> T:
        """Wait for ``found()`` to be truthy, woken by each request as it arrives; return it."""
        with self.lock:  # reentrant: found() may take it again
            if result := self.lock.wait_for(found, timeout):
                return result
        raise AssertionError(f"timed out after {timeout}s waiting for {what}; received: {self._paths()}")

    def wait_for_webhooks(self, count: int, name: str | None = None, timeout: float = 10.0) -> list[dict]:
        return self.wait_until(
            lambda: found if len(found := self.webhooks(name)) >= count else None,
            f"{count} response_url posts to {name or 'any webhook'}",
            timeout,
        )

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Received]:
        return self.wait_until(
            lambda: found if len(found := self.calls(method)) >= count else None, f"{count} {method} calls", timeout
        )

    def _paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_fake_slack() -> FakeSlack:
    fake: FakeSlack

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the SDK reads users.info and users.lookupByEmail with GET)
            if self.path.startswith("/files-pri/"):  # a shared file: only to the bot token, as Slack serves it
                with fake.lock:
                    fake.file_requests.append(dict(self.headers))
                    fake.lock.notify_all()
                    data = fake.files.get(self.path.rsplit("/", 1)[-1])
                if self.headers.get("Authorization") != "Bearer xoxb-test-token" or data is None:
                    self._send(404, "not found", "text/plain")
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                return
            self.do_POST()

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else b""
            if self.path.startswith("/upload/"):  # files_upload_v2's second step: the file's bytes
                with fake.lock:
                    fake.uploads[self.path.removeprefix("/upload/")] = data
                    fake.lock.notify_all()
                self._send(200, "OK - " + str(len(data)), "text/plain")
                return
            raw = data.decode()
            if "json" in (self.headers.get("Content-Type") or ""):
                body = json.loads(raw or "{}")
            else:
                body = {k: v[0] for k, v in parse_qs(raw).items()}
            # The SDK sends some arguments (conversations.open's users) as query parameters.
            body = {k: v[0] for k, v in parse_qs(self.path.partition("?")[2]).items()} | body
            path = self.path.split("?", 1)[0]
            with fake.lock:
                # Whether this call fails is decided as it is recorded: a test that sees the call and then sets
                # `failing` changes the calls after it, never the answer to this one (that race once sent a
                # confirmation twice).
                error = fake.failing.get(path.removeprefix("/api/"))
                fake.received.append(Received(path, dict(self.headers), body))
                fake.lock.notify_all()
            time.sleep(fake.delays.get(path.removeprefix("/api/"), 0))
            if path.startswith("/webhook/"):
                self._send(200, "ok", "text/plain")
            elif path == "/api/auth.test":
                self._send(200, json.dumps({"ok": True, "team_id": "T0TEST", "user_id": "U0BOT", "bot_id": "B0BOT"}))
            elif error is not None:
                self._send(200, json.dumps({"ok": False, "error": error}))
            elif path == "/api/users.info":
                self._send(200, json.dumps(_user(body.get("user"), locale=body.get("include_locale") in ("1", "true"))))
            elif path == "/api/users.lookupByEmail":  # Slack matches addresses whatever their case
                wanted = (body.get("email") or "").lower()
                found = [u for u, p in fake.users.items() if (p.get("email") or "").lower() == wanted]
                self._send(200, json.dumps(_user(found[0]) if found else {"ok": False, "error": "users_not_found"}))
            elif path == "/api/files.getUploadURLExternal":
                file_id = f"F{len(fake.uploads) + 1:04d}"
                upload = {"ok": True, "file_id": file_id, "upload_url": f"{fake.base_url}/upload/{file_id}"}
                self._send(200, json.dumps(upload))
            elif path == "/api/files.completeUploadExternal":
                files = json.loads(body.get("files") or "[]")
                done = [{"id": f["id"], "title": f["title"]} for f in files]
                self._send(200, json.dumps({"ok": True, "files": done}))
            elif path == "/api/conversations.open":  # the DM with that person
                self._send(200, json.dumps({"ok": True, "channel": {"id": "D" + body.get("users", "X").lstrip("U")}}))
            else:
                self._send(200, json.dumps({"ok": True, "ts": f"{time.time():.6f}", "channel": body.get("channel")}))

        def _send(self, status: int, payload: str, content_type: str = "application/json") -> None:
            data = payload.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # keep test output quiet
            return

    def _user(user_id: str | None, *, locale: bool = False) -> dict:
        if user_id not in fake.users:
            return {"ok": False, "error": "user_not_found"}
        profile = fake.users[user_id]
        user = {"id": user_id, "tz": profile.get("tz"), "profile": {"real_name": user_id}}
        if locale and profile.get("locale"):  # Slack says it only when asked (include_locale)
            user["locale"] = profile["locale"]
        if profile.get("email"):  # as with users:read.email; without it Slack leaves the address out
            user["profile"]["email"] = profile["email"]
        return {"ok": True, "user": user}

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeSlack(server=server)
    # close() waits until serve_forever notices the shutdown, up to one poll interval: the default 0.5 s
    # was half a second at the end of every test with a fake (about half a minute of a run), spent idle.
    serve = partial(server.serve_forever, poll_interval=0.05)
    threading.Thread(target=serve, daemon=True, name="fake-slack").start()
    return fake
