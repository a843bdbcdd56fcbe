"""The command table (handlers/commands/registry.py) holds each command once, and everything derived from it agrees:
the parser's keywords, the routes, the read and change sets, the help, the Teams menus, the Slack manifests."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
import yaml

import handlers
from handlers.commands import registry
from handlers.commands.listings import help_reply
from handlers.commands.parser import Command, Help, ParseError, parse
from handlers.commands.registry import TEAMS_DESCRIPTION, TEAMS_MENU_SIZE, TEAMS_TITLE, Access, Scope

ROOT = Path(__file__).resolve().parent.parent
SPECS = registry.table()


def _id(spec) -> str:
    return spec.name


def test_names_and_ranks_are_unique():
    assert len({spec.name for spec in SPECS}) == len(SPECS)
    assert len({spec.rank for spec in SPECS}) == len(SPECS)


@pytest.mark.parametrize("spec", SPECS, ids=_id)
def test_every_command_has_a_handler_help_examples_and_an_access(spec):
    assert spec.handlers and all(callable(handler) for handler in spec.handlers.values())
    assert isinstance(spec.access, Access)
    assert spec.help or spec.coordinators_help
    assert spec.examples
    assert all(callable(parser) for parser in spec.words.values())


def test_every_handler_named_for_later_is_there():
    """A handler the table names by module and name (registry.later) is imported when its command first runs:
    resolve each now, so a misspelt one fails here and not in a chat."""
    named = [handler for spec in SPECS for handler in spec.handlers.values() if isinstance(handler, registry.Later)]
    assert named
    for handler in named:
        assert callable(handler.resolve()), handler
    # A Command type named by name is found by that name when it runs (registry.handler_of): the name must be
    # where the class is defined, not a module that imports it.
    for spec in SPECS:
        for kind, handler in spec.handlers.items():
            command_type = registry.Later(kind).resolve() if isinstance(kind, str) else kind
            assert isinstance(command_type, type), kind
            assert registry.handler_of(command_type) is handler, kind
            assert registry.access_of(command_type) == spec.access, kind


@pytest.mark.parametrize("spec", SPECS, ids=_id)
def test_every_example_parses_to_the_commands_of_its_spec_and_reaches_each(spec):
    """The parser reaches each command: its examples parse to its own Command types, and to every one of them."""
    parsed = [parse(example) for example in spec.examples]
    assert not [p for p in parsed if isinstance(p, ParseError)], parsed
    assert {type(p) for p in parsed} == set(spec.command_types()), spec.examples


def test_a_word_or_a_command_two_specs_claim_is_refused():
    with pytest.raises(ValueError, match="keyword 'documents'"):
        registry.one_each([("documents", 1), ("areas", 2), ("documents", 3)], "keyword")
    with pytest.raises(ValueError, match="Command 'Help'"):
        registry.one_each([(Help, 1), (Help, 2)], "Command")
    assert registry.one_each([("a", 1), ("b", 2)], "keyword") == {"a": 1, "b": 2}


def test_every_route_is_registered_and_every_command_is_routed():
    table_types = {kind for spec in SPECS for kind in spec.command_types()}
    assert set(handlers.ROUTES) == table_types
    assert set(typing.get_args(Command)) <= table_types  # every Command the parser module declares


def test_reads_and_changes_come_from_the_table_and_do_not_overlap():
    uncached = registry.with_access(Access.read_uncached)
    assert not handlers.READS & handlers.CHANGES and not uncached & (handlers.READS | handlers.CHANGES)
    assert handlers.READS | handlers.CHANGES | uncached == set(handlers.ROUTES)
    for spec in SPECS:
        if spec.access == Access.change:
            assert set(spec.command_types()) <= handlers.CHANGES, spec.name
            assert all(handlers.is_change(example) for example in spec.examples), spec.name
        if spec.access == Access.read:
            assert all(handlers.is_shareable(example) for example in spec.examples), spec.name


def test_help_mentions_every_command_and_only_the_table_s_lines():
    reply = help_reply(Help(), None)
    shown = "\n".join(section.body for section in reply.sections)
    for spec in SPECS:
        lines = [line for line in (spec.help, spec.coordinators_help) if line]
        if spec.pressed:  # a button's command: its help describes the button, and is not listed
            assert not any(line in shown for line in lines), spec.name
            continue
        assert all(line in shown for line in lines), spec.name
        for word in set(spec.words) - spec.aliases:
            assert f"`/agenda {word}" in shown, f"help does not mention `{word}`"
    assert shown == registry.help_text() + "\n" + registry.coordinators_help()


def test_help_for_one_command_shows_its_lines_and_examples_in_the_readers_words():
    from handlers.views import i18n

    for spec in SPECS:  # every typed command: `help <its word>` is its help alone
        if spec.pressed or not spec.words or spec.name == "help":
            continue
        word = next(iter(set(spec.words) - spec.aliases or spec.words))
        parsed = parse(f"help {word}")
        assert parsed == Help(topic=word), (spec.name, parsed)
        reply = help_reply(parsed, None)
        assert reply.title == f"Help: {spec.name}", reply.title
        body = reply.sections[0].body or ""
        assert all(line in body for line in (spec.help, spec.coordinators_help) if line), spec.name
        assert all(parse(example.strip("`").removeprefix("/agenda ")) is not None
                   for example in reply.sections[1].body.splitlines()), spec.name  # fmt: skip
    assert parse("help me with nuclear").__class__.__name__ == "Lookup"  # no command named: the words looked up
    assert parse("help not held") == Help(topic="not held")
    with i18n.speaking("fr"):
        french = help_reply(parse("aide statut"), None)
        assert french.title == "Aide\u00a0: statut"
        assert "`/agenda statut 2002-A4 en cours reprise des pourparlers`" in french.sections[1].body  # typed in French
        assert "in progress" not in french.sections[1].body
    with i18n.speaking("ja"):
        japanese = help_reply(parse("ヘルプ 日程設定"), None)
        assert japanese.title == "ヘルプ：日程設定"
        assert japanese.sections[1].body.splitlines() == [
            "`/agenda 日程設定 シンポジウム 2027年10月14日 場所 東京 主催 日本`",
            "`/agenda 日程設定 シンポジウム 2027年10月14日 9時30分 東京`",  # a time of day and its city
        ]


@pytest.mark.parametrize("scope", list(Scope))
def test_teams_menus_respect_teams_limits_and_type_a_command(scope):
    menu = registry.teams_menu(scope)
    assert 1 <= len(menu) <= TEAMS_MENU_SIZE
    assert len({title for title, _ in menu}) == len(menu)
    entries = [entry for spec in SPECS for entry in spec.menu if scope in entry.scopes]
    assert len({entry.position for entry in entries}) == len(entries), "two commands share a place in the menu"
    for spec in SPECS:
        for entry in spec.menu:
            assert len(entry.title) <= TEAMS_TITLE and len(entry.description) <= TEAMS_DESCRIPTION
            assert entry.title.split()[0] in spec.words  # picking it types a word that starts this command


@pytest.mark.parametrize("path", sorted((ROOT / "bot" / "slack").glob("manifest*.yaml")), ids=lambda p: p.name)
def test_the_slack_manifests_usage_hint_is_the_tables(path):
    """The manifests are pasted into Slack by hand, so they stay files; this keeps their hint the table's."""
    [command] = yaml.safe_load(path.read_text())["features"]["slash_commands"]
    assert command["usage_hint"] == registry.usage_hint()
    hinted = [spec for spec in SPECS if spec.hint]
    assert all(not isinstance(parse(spec.hint), ParseError) for spec in hinted)
