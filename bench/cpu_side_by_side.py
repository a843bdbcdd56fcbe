"""Server CPU per `/agenda` request, this checkout against another one, measured side by side.

On a machine shared with other work, `slack_latency.py` run for one version and then for
the other measures each under a different load. This starts the bare Bolt app
(bench/bare_bolt.py), `agenda-bot serve` from another checkout's code (``--baseline-src``,
put first on PYTHONPATH; the same environment's libraries) and `agenda-bot serve` from this
one, each on a fresh seeded SQLite database, all three at once; then, round after round, it
sends each in turn (the order alternating) a block of the latency mix and, to the bots, a
block of distinct two-word searches, at the same concurrency, and reports each server's CPU
time per request (Linux /proc): the median and range over the rounds, and the median
requests per second.

    git archive main | tar -x -C /tmp/main-src
    .venv/bin/python bench/cpu_side_by_side.py --baseline-src /tmp/main-src [--rounds 8] [--block 200]

``--large-database agenda.db``: both bots answer from a copy of this SQLite file (a generated agenda,
bench/generate_agenda.py --database-url) instead of the seeded agenda.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import aiohttp
from slack_sdk.signature import SignatureVerifier

sys.path.insert(0, str(Path(__file__).resolve().parent))
import slack_latency as sl  # noqa: E402


async def drive(bases: dict[str, str], rounds: int, block: int, concurrency: int) -> dict[str, dict[str, list]]:
    verifier = SignatureVerifier(sl.SECRET)
    searches = sl.distinct_searches(block * rounds * (len(bases) - 1))  # the bots', each search once
    if len(searches) < block * rounds * (len(bases) - 1):
        raise SystemExit(f"only {len(searches)} distinct searches: use fewer --rounds or a smaller --block")
    out: dict[str, dict[str, list]] = {name: {"mix": [], "distinct": []} for name in bases}
    async with sl.response_url_sink() as response_url:
        mix = sl.command_bodies(sl.QUERIES, response_url)

        def client() -> aiohttp.ClientSession:
            # A client per block: a server idle while the others are measured closes kept-alive connections.
            return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency))

        async def measure(name: str, bodies, count: int, kind: str) -> None:
            result = sl.Result(name)
            url, pid = f"{bases[name]}/slack/events", sl.SERVER_PIDS[bases[name]]
            async with client() as session:
                await sl._run_batch(
                    session, url, bodies, verifier, count=count, concurrency=concurrency, result=result, pid=pid
                )
            if result.errors:
                raise RuntimeError(f"{name}: {dict(result.problems)}")
            out[name][kind].append((result.cpu_ms, result.rps))

        for base in bases.values():  # warm-up: the caches, as a running bot has them
            async with client() as session:
                await sl._run_batch(
                    session, f"{base}/slack/events", mix, verifier, count=300, concurrency=concurrency, result=None
                )
        taken = 0
        for round_ in range(rounds):
            for name in list(bases) if round_ % 2 == 0 else list(reversed(bases)):
                await measure(name, mix, block, "mix")
                if name != "bare":
                    await measure(name, sl.command_bodies(searches[taken : taken + block], response_url, 1), block,
                                  "distinct")  # fmt: skip
                    taken += block
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-src", required=True, help="a checkout of the version to compare with")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--block", type=int, default=200, help="requests per block (default 200)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--large-database", type=Path, help="a generated agenda (SQLite), copied for each bot")
    args = parser.parse_args()
    bot = sl.agenda_bot()
    env = {"SLACK_SIGNING_SECRET": sl.SECRET, "AGENDA_LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as work, contextlib.ExitStack() as stack:
        logs = Path(work)
        bare = [sys.executable, str(sl.ROOT / "bench" / "bare_bolt.py")]
        if args.large_database:  # each bot its own copy, loaded already: not seeded on start
            for name in ("baseline", "this"):
                shutil.copyfile(args.large_database, logs / f"{name}.db")
            env |= {"AGENDA_SEED_ON_START": "false"}
        baseline_env = env | {"DATABASE_URL": f"sqlite:///{work}/baseline.db", "PYTHONPATH": args.baseline_src}
        bases = {
            "bare": stack.enter_context(sl.server("bare", bare, {"SLACK_SIGNING_SECRET": sl.SECRET}, logs / "b.log")),
            "baseline": stack.enter_context(sl.server("baseline", bot, baseline_env, logs / "baseline.log")),
            "this": stack.enter_context(
                sl.server("this", bot, env | {"DATABASE_URL": f"sqlite:///{work}/this.db"}, logs / "this.log")
            ),
        }
        out = asyncio.run(drive(bases, args.rounds, args.block, args.concurrency))
    print(f"server CPU ms per request, {args.rounds} rounds of {args.block} requests, {args.concurrency} concurrent")
    for name, kinds in out.items():
        for kind, values in kinds.items():
            if values:
                cpu, rps = [v[0] for v in values], [v[1] for v in values]
                print(f"{name:9} {kind:9} median {statistics.median(cpu):.2f} (range {min(cpu):.2f}–{max(cpu):.2f})"
                      f"  req/s median {statistics.median(rps):.0f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
