"""The terminal front end. What needs a real process (the installed console script,
its exit status on bad configuration, --help, one question end to end) runs as a
user runs it; the rest calls the same entry point, ``bot.cli.main``, in-process:
the same argument parsing, settings from the environment, output and exit codes,
without paying the interpreter's start (~3.4 s) for each command."""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from seeds.catalogue import read_agenda

BIN = Path(sys.executable).parent / "agenda-bot"
COMMAND = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "bot.cli"]
OURS = ("SLACK_", "AGENDA_", "DATABASE_")  # settings of whoever runs the tests: left out
# Where the terminal only prints what the handlers compute, one backend is enough: the
# handlers' own tests run on both, as do the JSON ask, the export and the audited changes below.
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
def process(database_url):
    """The installed console script, in a process of its own."""

    def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
        env |= {"DATABASE_URL": database_url, "AGENDA_LOG_LEVEL": "WARNING"}
        result = subprocess.run([*COMMAND, *args], capture_output=True, text=True, env=env, timeout=120)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return _run


@pytest.fixture
def run(database_url, monkeypatch, capsys):
    """``agenda-bot ARGS`` in-process: its exit code and what it printed, as a process would give them."""
    for name in [k for k in os.environ if k.startswith(OURS)]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("AGENDA_LOG_LEVEL", "WARNING")

    def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        capsys.readouterr()  # only this command's output
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse refuses bad arguments this way
            code = exit.code
        out, err = capsys.readouterr()
        if check:
            assert code == 0, err
        return subprocess.CompletedProcess(["agenda-bot", *args], code, out, err)

    return _run


@SQLITE_ONLY  # the asks below run on both backends
def test_the_installed_script_answers_a_question(process):
    out = process("ask", "MLAT").stdout
    assert "2002-A4" in out
    assert "Source: 2002 Proposals for Collaboration" in out


@SQLITE_ONLY
def test_ask_prints_the_answer_as_text(run):
    out = run("ask", "MLAT").stdout
    assert "2002-A4" in out
    assert "“Negotiate and conclude a Treaty on Mutual Legal Assistance" in out
    assert "Source: 2002 Proposals for Collaboration" in out


@SQLITE_ONLY
def test_ask_answers_in_the_language_asked_for(run):
    french = run("ask", "--language", "fr", "qu'est-ce", "qui", "est", "en", "retard").stdout
    assert french.startswith("2 engagements sont en retard") and "Statut" in french and "Status:" not in french
    japanese = run("ask", "--language", "ja", "期限切れ").stdout
    assert japanese.startswith("期限切れの合意事項が2件あります")
    refused = run("ask", "--language", "de", "MLAT", check=False)
    assert refused.returncode == 2 and "invalid choice" in refused.stderr


def test_ask_json_gives_the_results_as_data(run):
    data = json.loads(run("ask", "counter-terrorism", "--json").stdout)
    rows = {row["id"]: row for row in data["results"]}
    mlat = rows["2002-A4"]
    assert mlat["document"] == "2002 Proposals for Collaboration"
    assert mlat["section"] == "A. Counter-Terrorism"
    assert mlat["areas"][0] in {"counter-terrorism", "legal-cooperation"}
    assert mlat["due"] == "../2003-12-31"
    assert mlat["status"] == "unknown"
    assert mlat["status_wording"].startswith("overdue")
    assert mlat["owners"]
    assert data["title"] == f"Counter-terrorism: {len(rows)} commitments"  # every result, not one page


@SQLITE_ONLY
def test_ask_with_bad_input_explains(run):
    result = run("ask", "next", "forever")
    assert "can't read" in result.stdout


def test_export_json_has_every_commitment_and_mechanism(run):
    data = json.loads(run("export", "--format", "json").stdout)
    ids = [row["id"] for row in data["commitments"]]
    assert len(ids) == len(set(ids)) == len(read_agenda().commitments)
    symposium = next(m for m in data["mechanisms"] if m["id"] == "peace-security-symposium")
    assert [c["stated"] for c in symposium["cadences"]] == ["every second year", "every year"]


@SQLITE_ONLY
def test_export_csv_to_a_file(run, tmp_path):
    target = tmp_path / "agenda.csv"
    run("export", "--format", "csv", "--output", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == len(read_agenda().commitments)
    assert {"id", "text", "document", "section", "owners", "status"} <= set(rows[0])


@SQLITE_ONLY
def test_bad_configuration_is_explained(run):
    env = os.environ | {"AGENDA_PORT": "not-a-port", "DATABASE_URL": "sqlite://"}
    result = subprocess.run([*COMMAND, "ask", "x"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "bad configuration" in result.stderr and "Traceback" not in result.stderr


def test_help_lists_the_commands():
    out = subprocess.run([*COMMAND, "--help"], capture_output=True, text=True, timeout=60).stdout
    for sub in ("serve", "ask", "export", "seed"):
        assert sub in out


def test_terminal_changes_are_audited_and_exported(run):
    changed = run("ask", "status", "2005-C1", "stalled", "waiting", "for", "the", "other", "side").stdout
    assert "2005-C1 is now stalled." in changed
    data = json.loads(run("export", "--format", "json").stdout)
    (entry,) = [e for e in data["audit"] if e["target"] == "2005-C1"]
    assert entry["actor"].startswith("cli:") and entry["origin"] == "cli"
    assert (entry["before"]["status"], entry["after"]["status"]) == ("unknown", "stalled")
    row = next(r for r in data["commitments"] if r["id"] == "2005-C1")
    assert row["status"] == "stalled"


@SQLITE_ONLY
def test_reminders_upcoming_lists_what_will_be_sent_when_and_to_whom(run):
    assert "Nothing to send" in run("reminders", "--upcoming").stdout  # nobody owns anything yet
    run("ask", "assign", "pol-mil", "<@slack:UKEN>")
    out = run("reminders", "--upcoming", "--days", "400").stdout
    assert "date_prompt → slack:UKEN" in out
    assert "09:00 America/Toronto" in out  # the default zone: Ken's is not known yet
    assert "Please fix a date: Political-Military Talks is expected in 2027" in out
    assert run("reminders", "--upcoming", "--days", "0", check=False).returncode == 2


@SQLITE_ONLY
def test_reminders_upcoming_lists_no_more_escalations_than_are_sent(run):
    run("ask", "assign", "2002-A4", "<@slack:UKEN>")  # the MLAT: overdue since 2003, unacknowledged
    out = run("reminders", "--upcoming", "--days", "400").stdout
    escalations = [line for line in out.splitlines() if "escalation  → slack:UKEN" in line]
    assert len(escalations) == 4  # AGENDA_MAX_ESCALATIONS' default, as the README says


@SQLITE_ONLY
def test_digest_preview_prints_a_channels_digest(run):
    out = run("digest", "--preview", "--channel", "C0LEADS").stdout
    assert out.startswith("Weekly agenda digest, week of")
    assert "this channel has no digest yet" in out
    assert "Decisions needed" in out and "Overdue with no person assigned: 2002-A4" in out


@SQLITE_ONLY
def test_a_treatys_stage_is_in_both_exports(run, tmp_path):
    """Issue 12 item 13: the export carries the stage and its date, not only "in_progress"."""
    assert "2002-A4: signed on Mon 24 May 2010" in run("ask", "status", "2002-A4", "signed", "on", "2010-05-24").stdout
    row = next(r for r in json.loads(run("export", "--format", "json").stdout)["commitments"] if r["id"] == "2002-A4")
    assert (row["stage"], row["stage_date"], row["status"]) == ("signed", "2010-05-24", "in_progress")
    assert "signed on Mon 24 May 2010" in row["status_wording"]
    target = tmp_path / "agenda.csv"
    run("export", "--format", "csv", "--output", str(target))
    assert ",signed,2010-05-24," in target.read_text(encoding="utf-8")


# What only `serve` (or a chart, a migration, a seed load, a holiday) needs: `ask` loads none of it.
NOT_FOR_ASK = {"microsoft_teams", "slack_bolt", "slack_sdk", "starlette", "uvicorn", "apscheduler"}
NOT_FOR_ASK |= {"prometheus_client", "matplotlib", "alembic", "yaml", "edtf", "holidays", "icalendar"}
NOT_FOR_ASK |= {"babel"}  # an answer about one subject lists nothing with babel
NOT_FOR_ASK |= {"rapidfuzz"}  # a name matched exactly, or a short word, is not matched fuzzily
NOT_FOR_ASK |= {"sqlalchemy.dialects.postgresql"}  # on SQLite
# A command's code loads when that command runs (registry.later): a lookup loads none of these.
NOT_FOR_ASK |= {f"handlers.commands.{name}" for name in ("answers", "changes", "plan", "slot", "digest", "nudges")}
NOT_FOR_ASK |= {"handlers.commands.calendar_links", "handlers.commands.linking", "handlers.commands.reminder_settings"}
NOT_FOR_ASK |= {f"handlers.commands.{name}" for name in ("held", "held_form", "forms", "outcomes", "officials")}
# What `agenda-bot --help` needs none of (it only parses arguments).
NOT_FOR_HELP = {"sqlmodel", "sqlalchemy", "pydantic", "handlers", "models", "scheduling"}


@SQLITE_ONLY
def test_the_terminal_loads_only_what_its_command_uses(database_url):
    from models.db import make_engine, session
    from models.seed_loads import record_seed_load
    from seeds.fingerprint import seeds_fingerprint

    engine = make_engine(database_url)
    with session(engine) as db:  # the test database was seeded from these very files
        record_seed_load(session=db, fingerprint=seeds_fingerprint())
    engine.dispose()
    script = (
        "import json, sys\n"
        "import bot.cli\n"
        "at_help = sorted({m.split('.')[0] for m in sys.modules})\n"
        "assert bot.cli.main(['ask', 'MLAT']) == 0\n"
        "at_ask = sorted({m.split('.')[0] for m in sys.modules} | set(sys.modules))\n"
        "import bot.web\n"  # what `serve` imports; the Teams SDK waits for a server with Teams configured
        "at_serve = sorted({m.split('.')[0] for m in sys.modules})\n"
        "print(json.dumps({'help': at_help, 'ask': at_ask, 'serve': at_serve}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AGENDA_", "DATABASE_", "TEAMS_"))}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env | {"DATABASE_URL": database_url}
    )
    assert result.returncode == 0, result.stderr
    assert "2002-A4" in result.stdout  # it did answer
    loaded = json.loads(result.stdout.splitlines()[-1])
    assert NOT_FOR_HELP & set(loaded["help"]) == set()
    assert NOT_FOR_ASK & set(loaded["ask"]) == set()
    assert "starlette" in loaded["serve"] and "microsoft_teams" not in loaded["serve"]


def test_the_collector_paused_while_a_command_loads_is_given_back(capsys):
    from bot.cli import main

    assert gc.isenabled()
    assert main(["teams-package", "--app-id", "not-a-guid"]) == 2  # a command that ends early
    assert gc.isenabled()
    assert "not an app id" in capsys.readouterr().err
