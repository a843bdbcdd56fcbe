"""10,000 hostile requests against a running `agenda-bot serve`: no 5xx, none slower than Slack's 3 s.

Starts on loopback a fake Slack Web API and a fake Teams connector (the tests'
fakes), then `agenda-bot serve` on a fresh SQLite database seeded on start,
answering Slack (signing secret set) and Teams. By default Teams runs in
development mode, so generated activities reach the handlers; with
`--teams-auth` it validates Bot Framework tokens against the fake connector's
OpenID metadata instead, so they stop at authentication.

The requests come from tests/hostile.py, the generator the fuzz tests use:
signed slash commands and payloads with hostile text, forged and replayed
signatures, bodies past the size limit, deeply nested JSON, Teams activities
with missing or wrong fields, raw bytes, and calendar-feed paths. They are sent
at a fixed concurrency; meanwhile a probe asks `/healthz` every 50 ms, which is
the baseline: an answer is slow for the server only if it is slow against the
probe measured in the same run.

It reports status codes by kind of request, 5xx, timeouts, answers slower than
3 s, the slowest answer and its kind, the /healthz probe's median and slowest
(with the ratio of the slowest hostile answer to the probe's median), and the
tracebacks in the server's log (every refusal must be a one-line log, never a
traceback).

    .venv/bin/python bench/hostile.py [--requests 10000] [--concurrency 8] [--seed 1] [--teams-auth] [--check]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import re
import shutil
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.slack_latency import agenda_bot, run_in_work_folder, server  # noqa: E402
from tests.fakes.slack_api import start_fake_slack  # noqa: E402
from tests.fakes.teams_connector import start_fake_teams  # noqa: E402
from tests.hostile import hostile_request  # noqa: E402

SECRET = "hostile-bench-signing-secret-51d2"
SLACK_DEADLINE = 3.0  # seconds: Slack shows the user an error past this
TIMEOUT = 10.0  # seconds: a request still unanswered by then counts as a timeout
PROBE_EVERY = 0.05  # seconds between /healthz probes


@dataclass
class Tally:
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    latencies: list[float] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")
    server_errors: list[str] = field(default_factory=list)  # kind and a little of the answer, per 5xx
    timeouts: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # connection errors by kind
    refused_in_log: int = 0  # 413s the server logged, whether or not the client read them
    probe: list[float] = field(default_factory=list)

    def record(self, kind: str, status: int, seconds: float, text: str) -> None:
        self.statuses[kind][status] += 1
        self.latencies.append(seconds)
        if seconds > self.slowest[0]:
            self.slowest = (seconds, kind)
        if status >= 500:
            self.server_errors.append(f"{kind}: HTTP {status} {text[:120]!r}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


async def send_all(base: str, teams_url: str, response_url: str, args: argparse.Namespace, tally: Tally) -> float:
    rng = random.Random(args.seed)
    # Generated up front, so that making a 4 MiB body never sits between a request and its clock.
    # Signed at generation: the whole run takes far less than Slack's five-minute window.
    requests = [
        hostile_request(rng, signing_secret=SECRET, service_url=teams_url, response_url=response_url)
        for _ in range(args.requests)
    ]
    queue: asyncio.Queue = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    limits = httpx.Limits(max_connections=args.concurrency + 1)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT, limits=limits) as client:
        stop = asyncio.Event()

        async def probe() -> None:
            while not stop.is_set():
                started = time.perf_counter()
                response = await client.get("/healthz")
                if response.status_code == 200:
                    tally.probe.append(time.perf_counter() - started)
                await asyncio.sleep(PROBE_EVERY)

        async def worker() -> None:
            while not queue.empty():
                request = queue.get_nowait()
                started = time.perf_counter()
                try:
                    response = await client.request(
                        request.method, request.path, headers=request.headers, content=request.body
                    )
                except httpx.TimeoutException:
                    tally.timeouts[request.kind] += 1
                    continue
                except httpx.TransportError as exc:
                    # A server may close a connection on a body it refused before reading it all.
                    tally.failures[f"{request.kind}: {type(exc).__name__}"] += 1
                    continue
                tally.record(request.kind, response.status_code, time.perf_counter() - started, response.text)

        started = time.perf_counter()
        prober = asyncio.create_task(probe())
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - started
        stop.set()
        await prober
    return elapsed


def run(args: argparse.Namespace, work: Path) -> tuple[Tally, float, int]:
    fake_slack, fake_teams = start_fake_slack(), start_fake_teams()
    env = {
        "DATABASE_URL": f"sqlite:///{work / 'agenda.db'}",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-hostile-bench",
        "SLACK_API_URL": fake_slack.api_url,
        "AGENDA_ADMINS": "slack:UADMIN",  # the generator's admin: admin-only commands run too
        "AGENDA_SCHEDULER_ENABLED": "false",
        "AGENDA_LOG_LEVEL": "INFO",
        "TEAMS_SERVICE_URL": fake_teams.url,
    }
    if args.teams_auth:
        env |= {
            "TEAMS_CLIENT_ID": "00000000-0000-0000-0000-00000000b075",
            "TEAMS_CLIENT_SECRET": "hostile-bench-teams-secret",
            "TEAMS_OPENID_METADATA_URL": f"{fake_teams.url}v1/.well-known/openidconfiguration",
        }
    else:
        env["AGENDA_TEAMS_ALLOW_UNAUTHENTICATED"] = "true"
    log = work / "server.log"
    tally = Tally()
    try:
        with server("agenda-bot", agenda_bot(), env, log) as base:
            elapsed = asyncio.run(send_all(base, fake_teams.url, fake_slack.response_url("hostile"), args, tally))
    finally:
        fake_slack.close()
        fake_teams.close()
    text = log.read_text(errors="replace")
    if args.keep_log:
        shutil.copy(log, args.keep_log)
    tally.refused_in_log = len(re.findall(r" 413 [0-9.]+ms", text))
    return tally, elapsed, text.count("Traceback (most recent call last)")


def report(tally: Tally, elapsed: float, tracebacks: int, args: argparse.Namespace) -> bool:
    answered = len(tally.latencies)
    print(f"{answered:,} answered of {args.requests:,} sent in {elapsed:.1f} s (seed {args.seed}, "
          f"concurrency {args.concurrency}, Teams {'authenticated' if args.teams_auth else 'development mode'})")
    print()
    print(f"{'kind':<34} {'answered':>8}  statuses")
    for kind in sorted(tally.statuses):
        counts = tally.statuses[kind]
        shown = ", ".join(f"{status}×{n}" for status, n in sorted(counts.items()))
        print(f"{kind:<34} {sum(counts.values()):>8}  {shown}")
    late = sum(1 for seconds in tally.latencies if seconds > SLACK_DEADLINE)
    probe_median = statistics.median(tally.probe) if tally.probe else float("nan")
    print()
    print(f"5xx answers:                  {len(tally.server_errors)}")
    for line in tally.server_errors[:10]:
        print(f"  {line}")
    print(f"timeouts (> {TIMEOUT:.0f} s):              {sum(tally.timeouts.values())} {dict(tally.timeouts) or ''}")
    # uvicorn answers 413 and closes the connection without reading the rest of the body, so a
    # client still sending it may see the connection close instead of the answer.
    print(f"connection closed mid-body:   {sum(tally.failures.values())} {dict(tally.failures) or ''}")
    print(f"413s in the server's log:     {tally.refused_in_log}")
    print(f"answers slower than {SLACK_DEADLINE:.0f} s:     {late}")
    print(f"slowest answer:               {tally.slowest[0] * 1000:.1f} ms ({tally.slowest[1]})")
    print(f"hostile answers p50 / p99:    {percentile(tally.latencies, 50) * 1000:.1f} / "
          f"{percentile(tally.latencies, 99) * 1000:.1f} ms")
    print(f"/healthz probe p50 / slowest: {probe_median * 1000:.1f} / {max(tally.probe, default=0) * 1000:.1f} ms "
          f"({len(tally.probe)} probes)")
    print(f"slowest answer / probe p50:   {tally.slowest[0] / probe_median:.0f}x")
    print(f"probe slowest / probe p50:    {max(tally.probe, default=0) / probe_median:.0f}x")
    print(f"tracebacks in server log:     {tracebacks}")
    return not tally.server_errors and not tally.timeouts and late == 0 and tracebacks == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000, help="hostile requests to send (default 10,000)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at once (default 8)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed: the same seed, the same requests")
    parser.add_argument("--teams-auth", action="store_true", help="Teams with token validation, not development mode")
    parser.add_argument("--keep-log", type=Path, help="copy the server's log here")
    parser.add_argument("--check", action="store_true", help="exit 1 on any 5xx, timeout, slow answer or traceback")
    args = parser.parse_args()
    return run_in_work_folder("hostile", "agenda-hostile-", lambda work: report(*run(args, work), args), args.check)


if __name__ == "__main__":
    raise SystemExit(main())
