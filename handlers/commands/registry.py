"""The commands: one spec each, in one table, and everything derived from it.

A command (or a small family of them) is a module in ``handlers/commands/subcommands/`` that declares
``COMMANDS``, a tuple of ``CommandSpec``: the words that start it and their parser, the handler of
each Command it parses to, whether it reads (and may be cached) or changes the agenda, its help and
examples, and its place in the Teams menus and the Slack usage hint. The table is read from those
modules on first use, so nothing depends on the order they are imported in. A spec names its handlers
(and, for a command whose types and parser live with its handler, those too) by module and name
(``later``): that module is imported when the command is first typed or run, not when the table is read,
so `agenda-bot ask MLAT` loads the lookup and not the code of thirty other commands (bench/start_time.py
times it; tests/test_cli.py checks it). From the table come the parser's keywords
(handlers/commands/parser.py), the routes and the read and change sets (handlers/__init__.py), the help,
the Teams command menus (bot/teams/package.py) and the Slack manifest's usage hint (tests/test_registry.py
keeps the manifests equal to it).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

from handlers.commands.parser import Said
from handlers.commands.questions import fold
from handlers.views import i18n

Parser = Callable[[Said], Any]  # a Command, a ParseError, or None: not this command, read the words otherwise
Handler = Callable[[Any, Any], Any]  # (command, Context) → Reply
# A Command type, or its name "module:Name" when it is defined in a module imported only when the command runs.
CommandType = type | str

TEAMS_MENU_SIZE = 10  # commands per menu, Teams' limit
TEAMS_TITLE = 32  # characters
TEAMS_DESCRIPTION = 128


class Access(StrEnum):
    read = "read"  # read-only; its answer is cached per agenda revision and may be shared in a channel
    read_uncached = "read_uncached"  # read-only, but not cached (it depends on the capitals' local day)
    change = "change"  # takes the write lock; the Home tab and views refresh after it; never cached


class Scope(StrEnum):
    personal = "personal"  # a 1:1 chat
    channel = "channel"  # a team or group chat


@dataclass(frozen=True)
class MenuEntry:
    """One line of a Teams command menu: picking it types the title, which the parser reads."""

    title: str
    description: str
    position: int  # its place in the menu
    scopes: tuple[Scope, ...] = (Scope.personal, Scope.channel)


@dataclass(frozen=True)
class CommandSpec:
    name: str
    handlers: Mapping[CommandType, Handler]  # each Command type this spec parses to, and its handler
    access: Access
    rank: int  # where its help (and usage hint) comes; unique across the table
    examples: tuple[str, ...]  # typed after /agenda; each parses to one of this spec's Commands
    words: Mapping[str, Parser] = field(default_factory=dict)  # keyword → parser (none: reached by other words)
    # A keyword in French and Japanese, read as it is: {"history": {"fr": "historique", "ja": "履歴"}}. Typed with
    # or without accents; help shows the reader's word. Where a language has natural synonyms, a tuple of them:
    # {"help": {"fr": ("aide", "aidez-moi")}}: each is read, help shows the first.
    local: Mapping[str, Mapping[str, str | tuple[str, ...]]] = field(default_factory=dict)
    help: str = ""  # lines for everyone
    coordinators_help: str = ""  # lines under "For coordinators and admins"
    pressed: bool = False  # sent by a button, not typed: its help describes the button and is not listed
    aliases: frozenset[str] = frozenset()  # keywords help need not name
    menu: tuple[MenuEntry, ...] = ()
    hint: str | None = None  # its part of the Slack slash command's usage hint

    def command_types(self) -> tuple[type, ...]:
        """Its Command types, importing the modules of those named by name."""
        return tuple(_type(kind) for kind in self.handlers)


def _type(kind: CommandType) -> type:
    return Later(kind).resolve() if isinstance(kind, str) else kind


def _name(kind: CommandType) -> str:
    return kind if isinstance(kind, str) else f"{kind.__module__}:{kind.__qualname__}"


class Later:
    """A handler or a parser named by its module and name, imported the first time it is called (see ``later``)."""

    __slots__ = ("path", "_found")

    def __init__(self, path: str) -> None:
        self.path = path
        self._found: Callable[..., Any] | None = None

    def resolve(self) -> Callable[..., Any]:
        if self._found is None:
            module, _, name = self.path.partition(":")
            self._found = getattr(importlib.import_module(module), name)
        return self._found

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return (self._found or self.resolve())(*args, **kwargs)

    def __repr__(self) -> str:
        return f"later({self.path!r})"


def later(path: str) -> Later:
    """A handler or a parser named by its module and name ("handlers.commands.plan:plan"), imported the first
    time it is called: only the commands a process runs load their code. tests/test_registry.py resolves every
    handler and Command type named so, and parses every example, so a wrong name fails there, not in a chat."""
    return Later(path)


def bare(command: Callable[..., Any], *, paged: bool = False) -> Parser:
    """A keyword that stands alone (`areas`, `mine`): with more words it is not this command."""
    return lambda said: None if said.rest else (command(page=said.page) if paged else command())


def plain(parser: Callable[[str], Any]) -> Parser:
    """A parser of the words after the keyword only."""
    return lambda said: parser(said.rest)


def or_lookup_in_other_words(english: str, parser: Parser) -> Parser:
    """A command whose French or Japanese word is an everyday word (`résumé`, `tenue`, `étape`): when what follows
    is nothing like the command (its parser says so with ``ParseError.unfit``: no action, no date, no step), the
    words are a lookup (`/agenda résumé du programme`), not a refusal. Typed in English, the refusal stands as
    before."""

    def parse(said: Said):
        parsed = parser(said)
        unfit = getattr(parsed, "unfit", False) is True  # a ParseError's flag; a Command has none
        other_words = said.rest and fold(said.words.partition(" ")[0])[0] != english  # (alone: the command's menu)
        return None if unfit and other_words else parsed

    return parse


@cache
def table() -> tuple[CommandSpec, ...]:
    """Every spec of every module in handlers/commands/subcommands/, in help order."""
    import handlers.commands.subcommands as package

    specs = []
    for module in sorted(info.name for info in pkgutil.iter_modules(package.__path__)):
        specs += importlib.import_module(f"{package.__name__}.{module}").COMMANDS
    return tuple(sorted(specs, key=lambda spec: spec.rank))


@cache
def keywords() -> dict[str, Parser]:
    """Every word that starts a command, folded as the parser folds what is typed (handlers.commands.questions.fold)."""
    return one_each(((said, spec.words[word]) for spec in table() for said, word in _typed_words(spec)), "keyword")


def _typed_words(spec: CommandSpec) -> Iterator[tuple[str, str]]:
    """(a word that starts this command, folded; the English keyword it stands for), in every language."""
    for word in spec.words:
        yield fold(word)[0], word
    for word, by in spec.local.items():
        for words in by.values():
            for said in said_as(words):
                yield fold(said)[0], word


@cache
def _specs_by_word() -> dict[str, CommandSpec]:
    """Each command word, English or the reader's, folded: the spec it starts."""
    return {said: spec for spec in table() for said, _word in _typed_words(spec)}


def spec_named(words: str) -> CommandSpec | None:
    """The command some words name (`help schedule`, `aide statut`, `ヘルプ 予定`): the first word that starts one,
    or two words that do together (`not held`); None when none does."""
    folded = [word for word in fold(words)[0].split() if word not in _HELP_CONNECTORS]
    # Only the first word (or two) after "help": "aidez-moi à préparer le prochain colloque" asks no help with `next`
    # ("prochain"), it asks to prepare a meeting.
    pair = " ".join(folded[:2])
    return _specs_by_word().get(pair) or (_specs_by_word().get(folded[0]) if folded else None)


# The small words between "help" and a command's name: "help with schedule", "aide sur la commande statut".
_HELP_CONNECTORS = frozenset(
    "with on for about the command me a au sur pour la le l' les de du des avec commande の について".split()
)


def said_as(words: str | tuple[str, ...]) -> tuple[str, ...]:
    """A keyword's words in one language: the one, or its synonyms (the first is the one help shows)."""
    return (words,) if isinstance(words, str) else tuple(words)


def local_keyword(keyword: str, language: str) -> str:
    """A keyword as a reader of ``language`` types it ("history" → "historique"); itself when it has none."""
    for spec in table():
        if keyword in spec.local:
            return said_as(spec.local[keyword].get(language, keyword))[0]
    return keyword


# A keyword the parser reads alone, written whole where it is shown: `/agenda tableau de bord`.
_SHOWN_AS = {"tableau": "tableau de bord"}
# A command of two English words, shown whole in the reader's words: `not held` → `non tenue`, `未開催`.
_PHRASES = {"not held": ("not", {"fr": "non tenue", "ja": "未開催"})}


@cache
def _reader_words(language: str, *, alone: bool = True) -> tuple[dict[str, str], re.Pattern | None]:
    words = {
        english: _SHOWN_AS.get(said_as(by[language])[0], said_as(by[language])[0])
        for spec in table()
        for english, by in spec.local.items()
        if language in by
    }
    for phrase, (first, shown) in _PHRASES.items():
        if first in words:
            words[phrase] = shown.get(language, words.pop(first))
    if not words:
        return words, None
    names = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    # `/agenda history …` and (``alone``) `history` quoted alone: the command's word, not a word of a sentence
    quoted = rf"|(?<=`)({names})(?=`)" if alone else "|(?!)()"
    return words, re.compile(rf"(?<=/agenda )({names})(?=[ `\]…]|$){quoted}")


def in_reader_words(text: str, language: str | None = None, *, alone: bool = True) -> str:
    """Help or a refusal with each command's word as a reader of ``language`` (the current one) types it:
    `/agenda schedule symposium …` → `/agenda programmer symposium …`, `` `history` `` → `` `履歴` `` (not with
    ``alone`` False: help shows the English word beside the reader's). English, and a command with no word in
    that language, stay as written."""
    words, pattern = _reader_words(language or i18n.current(), alone=alone)
    if pattern is None or not text:
        return text
    return pattern.sub(lambda found: words[found.group(1) or found.group(2)], text)


def typed_as(query: str, language: str | None = None) -> str:
    """A command as a reader of ``language`` (the current one) types it: its word in their words, the rest as it is
    (`history pol-mil` → `historique pol-mil`, `履歴 pol-mil`; `not held …` → `non tenue …`). What a button sends
    and its plain-text hint shows (`[Historique] /agenda historique pol-mil`): it parses to the same command. Words
    that start with no command's English word (a lookup, a question, English itself) stay as they are."""
    words, _pattern = _reader_words(language or i18n.current())
    said = query.split(" ")
    for size in (2, 1):  # `not held` before `not`
        head = " ".join(said[:size])
        if len(said) >= size and head in words:
            return " ".join([words[head], *said[size:]])
    return query


# Every message of the catalogue names its commands in the reader's words (handlers/views/i18n.py): a sentence's
# `/agenda status …` reaches a French reader as `/agenda statut …`; a word quoted alone may be the English shown
# beside the reader's (help's list), and stays.
i18n.set_command_words(lambda text, language: in_reader_words(text, language, alone=False))


def reply_in_reader_words(reply: Any) -> Any:
    """A reply whose sentences name commands (`/agenda history <id>`, `/agenda next 30 days`) with each command's
    word as the reader types it, in the current language; the items (agreed texts, titles) as they are."""
    if _reader_words(i18n.current())[1] is None:
        return reply

    def worded(text: str) -> str:
        return in_reader_words(text, alone=False) if text else text

    sections = [dataclasses.replace(s, heading=worded(s.heading), body=worded(s.body)) for s in reply.sections]
    return dataclasses.replace(reply, title=worded(reply.title), summary=worded(reply.summary), sections=sections)


def local_keywords() -> list[tuple[str, str]]:
    """(the reader's word, the English keyword) for each command that has one in the current language, in help
    order: what help lists for a French or Japanese reader ("historique" for "history")."""
    language = i18n.current()
    words, _pattern = _reader_words(language)
    phrases = {first: phrase for phrase, (first, _shown) in _PHRASES.items()}
    return [
        (words[phrases.get(word, word)], phrases.get(word, word))  # `non tenue` (`not held`), `tableau de bord`
        for spec in table()
        for word, by in spec.local.items()
        if language in by
    ]


@cache
def routes() -> dict[type, Handler]:
    """Every Command type and its handler; it imports every command's module (see ``handler_of``)."""
    return one_each(((_type(kind), handler) for spec in table() for kind, handler in spec.handlers.items()), "Command")


@cache
def _by_name() -> dict[str, tuple[Handler, Access]]:
    """Each Command's handler and access by the Command type's name: what running one needs, found without
    importing the modules of all the others."""
    pairs = ((_name(kind), (handler, spec.access)) for spec in table() for kind, handler in spec.handlers.items())
    return one_each(pairs, "Command")


def handler_of(kind: type) -> Handler:
    """The handler of this Command type (KeyError for a type no spec names)."""
    return _by_name()[_name(kind)][0]


def access_of(kind: type) -> Access | None:
    """Whether this Command type reads (cached or not) or changes the agenda; None for a type no spec names."""
    found = _by_name().get(_name(kind))
    return found[1] if found else None


def one_each(pairs, what: str) -> dict:
    """A table's pairs as a dict, refusing a key two specs claim (two modules both starting `documents`)."""
    found: dict = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"two commands claim the {what} {getattr(key, '__name__', key)!r}")
        found[key] = value
    return found


def with_access(access: Access) -> frozenset[type]:
    """The Command types of this access; it imports every command's module (see ``access_of``)."""
    return frozenset(kind for spec in table() if spec.access == access for kind in spec.command_types())


def help_text() -> str:
    """Every command's help, in the reader's language (a spec's help is marked N_ and translated here)."""
    return _help_text(i18n.current(), i18n.translations(i18n.current()))


def spec_help(spec: CommandSpec) -> str:
    """One command's help, everyone's lines then the coordinators', in the reader's words."""
    lines = [spec.help, spec.coordinators_help]
    return "\n".join(in_reader_words(i18n._(line)) for line in lines if line)


def coordinators_help() -> str:
    return _coordinators_help(i18n.current(), i18n.translations(i18n.current()))


# Kept per language and per catalogue: a catalogue installed for a test (the pseudo-locale run) is not
# answered with the help the real one gave.
@cache
def _help_text(_language: str, _catalogue: object) -> str:
    return "\n".join(in_reader_words(i18n._(spec.help)) for spec in table() if spec.help and not spec.pressed)


@cache
def _coordinators_help(_language: str, _catalogue: object) -> str:
    return "\n".join(
        in_reader_words(i18n._(spec.coordinators_help))
        for spec in table()
        if spec.coordinators_help and not spec.pressed
    )


def teams_menu(scope: Scope) -> list[tuple[str, str]]:
    """(title, description) of each command in the Teams menu of this scope, in menu order."""
    entries = [entry for spec in table() for entry in spec.menu if scope in entry.scopes]
    return [(entry.title, entry.description) for entry in sorted(entries, key=lambda entry: entry.position)]


def usage_hint() -> str:
    """The Slack slash command's usage hint (bot/slack/manifest*.yaml)."""
    return " | ".join(spec.hint for spec in table() if spec.hint)


__all__ = ["Access", "CommandSpec", "MenuEntry", "Said", "Scope", "bare", "later", "plain", "table"]
