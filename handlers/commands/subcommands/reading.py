"""Looking things up: a topic, a question, help, areas, one commitment, what comes next, who owns what."""

from __future__ import annotations

import re

from handlers.commands.parser import (
    Areas,
    Help,
    Lookup,
    Mine,
    Next,
    OwnedBy,
    ParseError,
    Question,
    Show,
    as_command,
    parse_help,
    parse_next_or_question,
    parse_owner,
)  # fmt: skip
from handlers.commands.questions import recognise
from handlers.commands.registry import Access, CommandSpec, MenuEntry, bare, later, plain
from handlers.views.i18n import N_

# "show 2002-A4" shows one commitment; "show me the pol-mil talks" asks for something (handlers/commands/questions.py).
_ONE_WORD = re.compile(r"^\S+$")
_SPACED_ID = re.compile(r"^((?:19|20)\d\d)[\s_.]+([A-Za-z]?\d{1,2})$")  # "2002 A4" is 2002-A4


def _show(said):
    if not said.rest:
        return ParseError(N_("`show` needs a commitment id."), N_("For example `/agenda show 2002-A4`."))
    if _ONE_WORD.match(said.rest):  # an id has a number; "show MLAT", "表示 北朝鮮" look the word up
        return Show(said.rest) if any(ch.isdigit() for ch in said.rest) else Lookup(said.rest, page=said.page)
    if spaced := _SPACED_ID.match(said.rest):
        return Show(f"{spaced[1]}-{spaced[2]}")
    question = recognise(said.words, page=said.page)
    if question is not None and not question.unfinished:
        return as_command(question)
    return Lookup(said.rest, page=said.page)  # "voir le MLAT": words, not an id


COMMANDS = (
    CommandSpec(
        name="lookup",
        handlers={Lookup: later("handlers.commands.lookup:lookup")},
        access=Access.read,
        rank=10,
        examples=("counter-terrorism", "MLAT", "Afghanistan"),
        help=N_(
            "`/agenda <topic>`: every commitment on a topic, quoting the agreed text with its source. Topics are "
            "areas, acronyms or any words: `/agenda counter-terrorism`, `/agenda MLAT`, `/agenda DPRK`, "
            "`/agenda Afghanistan`, `/agenda IAEA`, `/agenda covid`."
        ),
        hint="counter-terrorism",
    ),
    CommandSpec(
        name="question",
        handlers={Question: later("handlers.commands.answers:answer_question")},
        access=Access.read,
        rank=20,
        examples=("who owns the symposium", "what is overdue", "qui est responsable du symposium"),
        help=N_(
            "Or ask a question, in English, French or Japanese: `/agenda who owns the symposium`, `/agenda when is "
            "the next Pol-Mil`, `/agenda when was the last symposium`, `/agenda is there anything on North Korea`, "
            "`/agenda what is the status of the MLAT`, `/agenda what did we agree on Afghanistan in "
            "2005`, `/agenda what is overdue`, `/agenda this month`, `/agenda next year`, `/agenda documents`, "
            "`/agenda what changed since 1 November`; `/agenda qui est responsable du symposium`, "
            "`/agenda quoi de neuf depuis le 1er novembre`; "
            "`/agenda シンポジウムの担当は`, `/agenda 次の政軍協議はいつ`."
        ),
    ),
    CommandSpec(
        name="areas",
        words={"areas": bare(Areas)},
        local={"areas": {"fr": ("domaines", "thèmes"), "ja": ("分野", "分野一覧")}},
        handlers={Areas: later("handlers.commands.listings:areas")},
        access=Access.read,
        rank=30,
        examples=("areas", "domaines", "分野"),
        help=N_("`/agenda areas`: the areas, with how many commitments each holds."),
        menu=(MenuEntry("areas", N_("The areas of the agenda, with counts"), 2),),
        hint="areas",
    ),
    CommandSpec(
        name="show",
        words={"show": _show},
        local={"show": {"fr": "voir", "ja": "表示"}},
        handlers={Show: later("handlers.commands.listings:show")},
        access=Access.read,
        rank=40,
        examples=("show 2002-A4", "voir 2002-A4", "表示 2002-A4"),
        help=N_(
            "`/agenda show <id>`: one commitment in full, with its meeting history and related commitments "
            "(`/agenda show 2002-A4`)."
        ),
        menu=(MenuEntry("show", N_("show 2002-A4: one commitment in full"), 3),),
        hint="show 2002-A4",
    ),
    CommandSpec(
        name="next",
        words={"next": parse_next_or_question},
        local={"next": {"fr": "prochain", "ja": "今後"}},
        handlers={Next: later("handlers.commands.listings:upcoming")},
        access=Access.read,
        rank=50,
        examples=("next", "next 6 months", "prochain 30 jours", "今後 3か月"),
        help=N_(
            "`/agenda next [<n> days|weeks|months]`: what comes next (`/agenda next 6 months`); overdue items too."
        ),
        menu=(MenuEntry("next", N_("next 6 months: meetings and deadlines ahead"), 4),),
        hint="next 3 months",
    ),
    CommandSpec(
        name="mine",
        words={"mine": bare(Mine, paged=True)},
        local={"mine": {"fr": "moi", "ja": "自分"}},
        handlers={Mine: later("handlers.commands.listings:mine")},
        access=Access.read,
        rank=60,
        examples=("mine", "moi", "自分"),
        help=N_("`/agenda mine`: what you own."),
        menu=(MenuEntry("mine", N_("What you own"), 5),),
        hint="mine",
    ),
    CommandSpec(
        name="owner",
        words={"owner": lambda said: parse_owner(said.rest, said.page)},
        local={"owner": {"fr": "responsable", "ja": "担当者"}},
        handlers={OwnedBy: later("handlers.commands.listings:owned_by")},
        access=Access.read,
        rank=70,
        examples=("owner DND", "owner <@slack:UMARIA>", "<@slack:UMARIA>", "responsable MDN", "担当者 防衛省"),
        help=N_("`/agenda owner <@person or department>`: what someone owns (`/agenda owner DND`)."),
        menu=(MenuEntry("owner", N_("owner DND: what a person or department owns"), 6),),
    ),
    CommandSpec(
        name="help",
        words={word: plain(parse_help) for word in ("help", "?", "usage")},
        local={"help": {"fr": ("aide", "aidez-moi"), "ja": ("ヘルプ", "助けて")}},
        handlers={Help: later("handlers.commands.listings:help_reply")},
        access=Access.read,
        rank=900,
        examples=("help", "?", "", "aide", "ヘルプ", "help schedule", "aide statut", "ヘルプ 日程設定"),
        help=N_("`/agenda help`: this list; `/agenda help <command>`: that command alone, with examples."),
        aliases=frozenset({"?", "usage"}),
        menu=(MenuEntry("help", N_("How to ask: topics, ids, people, dates"), 1),),
        hint="help",
    ),
)
