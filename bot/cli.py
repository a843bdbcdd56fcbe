"""`agenda-bot`: serve the bot, ask it from the terminal, export the agenda."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

# Only the standard library at the top: `agenda-bot --help` must not pay for the database,
# the agenda or a platform SDK. Each command imports what it uses (bench/start_time.py times it).

if TYPE_CHECKING:
    from bot.settings import Settings
    from handlers.domain.ports import Ports


def _terminal(language: str | None = None):
    import getpass

    from handlers.domain.ports import Requester

    # A language given here is what a platform's locale would say; one chosen with `ask language …` wins.
    return Requester(user_ref=f"cli:{getpass.getuser()}", channel_ref="cli", locale=language)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Loading the code a command needs creates some 200,000 objects, none of them garbage; the
    # cyclic collector would walk them over and over while they load (a tenth of a second of
    # `ask`). It waits until they are loaded (_loaded), or until the command ends.
    global _paused
    _paused = gc.isenabled()
    gc.disable()
    try:
        from pydantic import ValidationError

        from bot.logs import configure_logging
        from bot.settings import Settings

        try:
            settings = Settings()
        except ValidationError as exc:
            print(f"agenda-bot: bad configuration:\n{exc}", file=sys.stderr)
            return 2
        # The terminal commands print answers; only the server narrates what it does.
        level = settings.log_level.upper() if args.run is _serve else "WARNING"
        configure_logging(level, as_json=settings.log_format == "json", secrets=settings.secret_values)
        return args.run(args, settings)
    finally:
        _resume_collecting()


_paused = False  # main() paused the cyclic garbage collector


def _resume_collecting(*, freeze: bool = False) -> None:
    global _paused
    if _paused:
        if freeze:
            gc.freeze()
        gc.enable()
        _paused = False


def _loaded() -> None:
    """The command's code and the database are loaded: what exists now lives until the
    process ends, so the collector leaves it alone (gc.freeze) and watches what comes next."""
    _resume_collecting(freeze=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agenda-bot", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the bot (HTTP; Socket Mode too when SLACK_APP_TOKEN is set)")
    serve.add_argument("--host", help="interface to listen on (default AGENDA_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default AGENDA_PORT or 3000)")
    serve.set_defaults(run=_serve)

    ask = commands.add_parser("ask", help="answer an /agenda question in the terminal")
    ask.add_argument("words", nargs="*", help='what you would type after /agenda, e.g. "counter-terrorism"')
    ask.add_argument("--json", action="store_true", help="print the results as data")
    ask.add_argument("--page", type=int, default=1)
    ask.add_argument("--print", choices=["markdown", "html"], help="the answer as a page to print (a briefing)")
    ask.add_argument(
        "--language", choices=["en", "fr", "ja"], help="answer in English, French or Japanese (default: English)"
    )
    ask.set_defaults(run=_ask)

    export = commands.add_parser("export", help="write the whole agenda")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.set_defaults(run=_export)

    imports = commands.add_parser(
        "import",
        help="import a document (YAML), an export (JSON) or a bulk update (CSV); previews unless --apply",
        description="Import a file into the agenda. Without --apply, print what would change and change nothing. "
        "Formats: docs/importing.md.",
    )
    imports.add_argument("file", help="a document file (.yaml), an `export --format json` (.json) or a CSV (.csv)")
    imports.add_argument("--apply", action="store_true", help="apply it, in one transaction, audited")
    imports.add_argument("--dry-run", action="store_true", help="only print what would change (the default)")
    imports.add_argument(
        "--overwrite-chat-edits", action="store_true", help="apply even where it overwrites changes made in chat"
    )
    imports.set_defaults(run=_import)

    reminders = commands.add_parser("reminders", help="what the bot will send, when and to whom")
    reminders.add_argument("--upcoming", action="store_true", required=True, help="list the messages ahead")
    reminders.add_argument("--days", type=int, default=30, help="how far ahead (default 30)")
    reminders.set_defaults(run=_reminders)

    digest = commands.add_parser("digest", help="print a channel's weekly digest now")
    digest.add_argument("--preview", action="store_true", required=True, help="print it; nothing is sent")
    digest.add_argument("--channel", required=True, help="the channel id (C024BE91L or slack:C024BE91L)")
    digest.set_defaults(run=_digest)

    backup = commands.add_parser("backup", help="write the whole state (agenda, owners, audit, …) to a file")
    backup.add_argument("file", help="where to write it (.gz: compressed)")
    backup.set_defaults(run=_backup)

    restore = commands.add_parser("restore", help="load a backup into an empty database (SQLite or PostgreSQL)")
    restore.add_argument("file", help="a file written by agenda-bot backup")
    restore.set_defaults(run=_restore)

    seed = commands.add_parser("seed", help="apply migrations and load the seed agenda, then exit")
    seed.set_defaults(run=_seed)

    package = commands.add_parser("teams-package", help="write the Microsoft Teams app package (a zip to upload)")
    package.add_argument("--output", "-o", default="agenda-bot-teams.zip", help="zip to write")
    package.add_argument("--app-id", help="the bot's Entra app (client) id (default TEAMS_CLIENT_ID)")
    package.add_argument("--name", default="AgendaBot", help="the name people @mention (at most 30 characters)")
    package.add_argument("--version", default="1.0.0", help="the package version; raise it for every upload")
    package.add_argument("--website", default="https://example.com/agenda-bot", help="developer, privacy, terms URL")
    package.add_argument("--domain", help="the bot's public host name, if it serves anything besides messages")
    package.set_defaults(run=_teams_package)
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import logging

    import uvicorn

    from bot.web import create_web_app

    settings = settings.model_copy(update={k: v for k, v in {"host": args.host, "port": args.port}.items() if v})
    if problems := settings.serving_problems():
        print("agenda-bot: bad configuration:\n" + "\n".join(problems), file=sys.stderr)
        return 2
    if not (settings.slack_bot_token or settings.slack_app_token or settings.teams_client_id):
        logging.getLogger("agenda-bot").info("No Slack or Teams credentials: outgoing messages are printed.")
    _resume_collecting()  # the server freezes what its start-up built itself (bot/web.py)
    uvicorn.run(
        create_web_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        log_config=None,  # keep ours (bot/logs.py): JSON when asked, and redacted
        access_log=False,  # bot/request_log.py logs each request, without secrets in paths
        timeout_graceful_shutdown=settings.shutdown_seconds,
    )
    return 0


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from models.backup import backup
    from models.db import make_engine
    from scheduling.clock import SystemClock

    _loaded()
    # The database as it is: no migration, no seeding, so a backup never changes what it copies.
    counts = backup(make_engine(settings.database_url), Path(args.file), now=SystemClock().now())
    print(
        f"wrote {sum(counts.values()):,} rows to {args.file}: " + ", ".join(f"{t} {n}" for t, n in counts.items() if n)
    )
    return 0


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from models.backup import BackupError, restore
    from models.db import make_engine

    _loaded()
    try:
        counts = restore(make_engine(settings.database_url), Path(args.file))
    except (BackupError, OSError) as exc:
        print(f"agenda-bot: nothing restored: {exc}", file=sys.stderr)
        return 1
    print(f"restored {sum(counts.values()):,} rows from {args.file}")
    return 0


def _terminal_ports(settings: Settings) -> Ports:
    import dataclasses

    from bot.runtime import build_ports, open_database

    # Whoever can run this command on the server can change the database
    # directly, so the terminal acts as an admin; its changes are audited
    # under the login name like any other.
    ports = build_ports(settings, open_database(settings))
    _loaded()
    return dataclasses.replace(ports, admins=ports.admins | {_terminal().user_ref})


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    import dataclasses
    import json

    from handlers import answer
    from handlers.views.text import render_text

    words = " ".join(args.words)
    requester = _terminal(args.language)
    if args.print:
        from handlers.views.printable import as_html, as_markdown

        reply = answer(words, ports=_terminal_ports(settings), requester=requester, page=args.page)
        print((as_html if args.print == "html" else as_markdown)(reply), end="")
        return 0
    if not args.json:
        ports = _terminal_ports(settings)
        print(render_text(answer(words, ports=ports, requester=requester, page=args.page)), end="")
        return 0
    # As data: every result at once, not one page of them.
    ports = dataclasses.replace(_terminal_ports(settings), page_size=100_000)
    reply = answer(words, ports=ports, requester=requester)
    from handlers.domain.context import Context
    from handlers.pages.export import commitment_ids_by_key, commitment_rows

    keys = [item.id for section in reply.sections for item in section.items]
    with ports.open_session() as session:
        timeline = Context(session, ports, requester).timeline
        rows = commitment_rows(
            session=session, timeline=timeline, ids=commitment_ids_by_key(session=session, keys=keys)
        )
    found = {row["id"] for row in rows}
    others = [dataclasses.asdict(i) for s in reply.sections for i in s.items if i.id not in found]
    document = {"query": words, "title": reply.title, "summary": reply.summary, "tone": reply.tone, "results": rows}
    if others:
        document["other_results"] = others
    print(json.dumps(document, ensure_ascii=False, indent=2))
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from handlers.domain.timeline import Timeline
    from handlers.pages.export import audit_rows, commitment_rows, mechanism_rows, split_rows, to_csv

    ports = _terminal_ports(settings)
    with ports.open_session() as session:
        timeline = Timeline.load(session, ports.clock.now().date(), ports.capitals)
        rows = commitment_rows(session=session, timeline=timeline)
        if args.format == "csv":
            from handlers.pages.dashboard import spreadsheet_safe

            output = to_csv(spreadsheet_safe(rows))  # what a spreadsheet would run as a formula, it shows
        else:
            document = {
                "commitments": rows,
                "mechanisms": mechanism_rows(session=session, timeline=timeline),
                "audit": audit_rows(session=session),
                "splits": split_rows(session=session),  # retired ids and their parts
            }
            output = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(output)
    else:
        sys.stdout.write(output)
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from seeds.import_file import ImportFileError
    from seeds.imports import import_path

    if args.apply and args.dry_run:
        print("agenda-bot: --apply or --dry-run, not both", file=sys.stderr)
        return 2
    ports = _terminal_ports(settings)
    with ports.open_session() as session:
        try:
            result = import_path(
                session,
                Path(args.file),
                actor=_terminal().user_ref,
                now=ports.clock.now(),
                apply=args.apply,
                overwrite_chat_edits=args.overwrite_chat_edits,
            )
        except ImportFileError as exc:
            print(f"agenda-bot: {exc}", file=sys.stderr)
            return 1
        except SQLAlchemyError as exc:  # rolled back whole: say why, without a traceback
            print(f"agenda-bot: {args.file}: nothing imported: the database refused it: {exc.orig or exc}",
                  file=sys.stderr)  # fmt: skip
            return 1
    sys.stdout.write(result.render())
    return 1 if result.refused else 0


def _reminders(args: argparse.Namespace, settings: Settings) -> int:
    import dataclasses
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from bot.delivery import policy_from
    from handlers.domain.timeline import Timeline
    from handlers.views.dates import moment
    from handlers.views.reply import reply_from_data
    from scheduling.reminders import people, planned_messages

    if not 1 <= args.days <= 3 * 366:
        print("agenda-bot: --days is between 1 and 1098", file=sys.stderr)
        return 2
    ports = _terminal_ports(settings)
    policy = dataclasses.replace(policy_from(settings), horizon=timedelta(days=args.days), catch_up=timedelta(0))
    now = ports.clock.now()
    with ports.open_session() as session:
        timeline = Timeline.load(session, now.date(), ports.capitals)
        planned = planned_messages(session, timeline, policy, now)
        zones = {ref: person.timezone for ref, person in people(session).items()}
    if not planned:
        print(f"Nothing to send in the next {args.days} days (reminders go to people who own items).")
        return 0
    for message in planned:
        zone = zones.get(message.target) or settings.default_timezone
        local = message.due_at.astimezone(ZoneInfo(zone))
        title = reply_from_data(message.body).title
        when = f"{moment(message.due_at, ports.capitals)} (recipient: {local:%a %-d %b %H:%M} {zone})"
        print(f"{when}  {message.kind:<11} → {message.target}")
        print(f"    {title}")
    return 0


def _digest(args: argparse.Namespace, settings: Settings) -> int:
    from handlers import answer
    from handlers.domain.ports import Requester
    from handlers.views.text import render_text
    from models.platforms import qualified

    channel = qualified(args.channel)
    reply = answer(
        "digest preview",
        ports=_terminal_ports(settings),
        requester=Requester(_terminal().user_ref, channel_ref=channel),
    )
    print(render_text(reply), end="")
    return 0


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import open_database

    open_database(settings, reload_seeds=True)
    return 0


def _teams_package(args: argparse.Namespace, settings: Settings) -> int:
    import re

    from bot.teams.package import build_package

    app_id = args.app_id or settings.teams_client_id
    if not app_id:
        print("agenda-bot: the package needs the bot's app id: --app-id or TEAMS_CLIENT_ID", file=sys.stderr)
        return 2
    if not re.fullmatch(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", app_id):
        print(f"agenda-bot: {app_id!r} is not an app id: Teams expects a GUID (the Entra client id)", file=sys.stderr)
        return 2
    if not args.website.startswith("https://"):
        print("agenda-bot: --website must be an https:// URL (Teams requires it)", file=sys.stderr)
        return 2
    # The dashboard tab lives on the server's public https address (AGENDA_PUBLIC_URL, else --domain).
    tab_url = settings.public_url if settings.public_url.startswith("https://") else None
    tab_url = tab_url or (f"https://{args.domain}" if args.domain else None)
    package = build_package(
        app_id=app_id, name=args.name, version=args.version, website=args.website, domain=args.domain, tab_url=tab_url
    )
    with open(args.output, "wb") as handle:
        handle.write(package)
    print(f"Wrote {args.output}: upload it in Teams (Apps → Manage your apps → Upload an app).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
