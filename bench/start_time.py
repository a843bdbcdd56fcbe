"""How fast `agenda-bot` starts: `--help`, and `ask MLAT` against `python -c "import sqlmodel"`.

Run from a checkout, with its virtual environment:

    .venv/bin/python bench/start_time.py            # 9 rounds, medians and ratios
    .venv/bin/python bench/start_time.py --check    # exit 1 if a target is missed
    .venv/bin/python bench/start_time.py --rounds 15

Targets (issue 14): `agenda-bot --help` under 0.3 s; `agenda-bot ask MLAT` within 1.5 times
`python -c "import sqlmodel"`, both timed whole (interpreter start to exit) on the same machine.

Each round runs the three commands one after the other (after one warm-up round that is not
counted), so a machine that slows down during the run slows all three; the ratio is taken
round by round and its median reported. `ask` runs against a SQLite database in a temporary
directory, migrated and seeded by `agenda-bot seed` first: what is timed is a start on a
database that is ready, as on a server or a laptop after the first run.

The project's bytecode is compiled first (`compileall`, into the usual `__pycache__`
directories): an installed package has it (pip compiles it), and sqlmodel, the yardstick, has
it; without it every start would also pay for compiling a hundred of our modules.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["bot", "handlers", "models", "scheduling", "seeds"]
HELP_TARGET = 0.3  # seconds
ASK_TARGET = 1.5  # times the import of sqlmodel


def _bin(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else name


def _timed(command: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="counted rounds (default 9)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)
    agenda_bot = _bin("agenda-bot")
    commands = {
        "agenda-bot --help": [agenda_bot, "--help"],
        "agenda-bot ask MLAT": [agenda_bot, "ask", "MLAT"],
        'python -c "import sqlmodel"': [sys.executable, "-c", "import sqlmodel"],
    }
    with tempfile.TemporaryDirectory(prefix="agenda-start-") as directory:
        # Only what this benchmark sets: no platform credentials, a database of its own.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AGENDA_", "SLACK_", "TEAMS_"))}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["DATABASE_URL"] = f"sqlite:///{directory}/agenda.db"
        _timed([agenda_bot, "seed"], env, directory)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for round_ in range(args.rounds + 1):
            for name, command in commands.items():
                elapsed = _timed(command, env, directory)
                if round_:  # the first round warms the file cache and is not counted
                    times[name].append(elapsed)

    sqlmodel = times['python -c "import sqlmodel"']
    ratios = [ask / base for ask, base in zip(times["agenda-bot ask MLAT"], sqlmodel, strict=True)]
    print(f"{args.rounds} rounds, wall seconds: median (min-max)")
    for name, values in times.items():
        print(f"  {name:<30} {statistics.median(values):6.3f}  ({min(values):.3f}-{max(values):.3f})")
    help_median = statistics.median(times["agenda-bot --help"])
    ratio = statistics.median(ratios)
    help_ok, ask_ok = help_median < HELP_TARGET, ratio <= ASK_TARGET
    print(f"  --help: {help_median:.3f} s (target < {HELP_TARGET} s): {'met' if help_ok else 'MISSED'}")
    print(f"  ask / import sqlmodel: {ratio:.2f} (target <= {ASK_TARGET}): {'met' if ask_ok else 'MISSED'}")
    return 1 if args.check and not (help_ok and ask_ok) else 0


if __name__ == "__main__":
    raise SystemExit(main())
