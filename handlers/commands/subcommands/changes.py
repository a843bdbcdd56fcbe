"""Changing the agenda: owners, statuses and stages, meetings, sensitivity, roles, the form; and the history."""

from __future__ import annotations

from handlers.commands.parser import (
    Assign,
    History,
    OpenForm,
    Schedule,
    SetRole,
    SetSensitivity,
    SetStatus,
    parse_add,
    parse_assign,
    parse_edit,
    parse_history,
    parse_role,
    parse_schedule,
    parse_sensitivity,
    parse_status_or_question,
    with_when_errors,
)  # fmt: skip
from handlers.commands.registry import Access, CommandSpec, MenuEntry, later, plain
from handlers.views.i18n import N_

COMMANDS = (
    CommandSpec(
        name="history",
        words={"history": plain(parse_history)},
        local={"history": {"fr": "historique", "ja": ("履歴", "変更履歴")}},
        handlers={History: later("handlers.commands.changes:history")},
        access=Access.read,
        rank=80,
        examples=("history 2002-A4", "history symposium", "historique 2002-A4", "履歴 2002-A4"),
        help=N_("`/agenda history <id or meeting>`: every change, who made it and when."),
    ),
    CommandSpec(
        name="assign",
        words={
            "assign": plain(lambda rest: parse_assign(rest, remove=False)),
            "unassign": plain(lambda rest: parse_assign(rest, remove=True)),
        },
        local={"assign": {"fr": "assigner", "ja": "担当設定"}, "unassign": {"fr": "désassigner", "ja": "担当解除"}},
        handlers={Assign: later("handlers.commands.changes:assign")},
        access=Access.change,
        rank=200,
        examples=("assign 2002-A4 <@slack:UMARIA> DND", "unassign 2002-A4 DND"),
        coordinators_help=N_(
            "`/agenda assign <id or meeting> <@people…> [<departments>]`, `/agenda unassign …`: owners."
        ),
        menu=(MenuEntry("assign", N_("assign 2002-A4 @person: name an owner"), 8),),
    ),
    CommandSpec(
        name="status",
        words={"status": parse_status_or_question},
        local={"status": {"fr": "statut", "ja": "ステータス"}},
        handlers={SetStatus: later("handlers.commands.changes:set_status")},
        access=Access.change,
        rank=210,
        examples=(
            "status 2002-A4 in progress talks resumed", "status 2002-A4 signed on 24 May 2010",
            "statut 2002-A4 en cours reprise des pourparlers", "statut 2002-A4 signé le 24 mai 2010",
            "ステータス 2002-A4 進行中 協議再開", "ステータス 2002-A4 署名済み 2010年5月24日",
        ),  # fmt: skip
        coordinators_help=N_(
            "`/agenda status <id> <not started|in progress|done|stalled|dropped> [<note>]` (owners may "
            "set their own items' status).\n"
            "`/agenda status <id> <negotiations launched|concluded|signed|in force> [on <date>] [<source>]`: "
            "a treaty's stages."
        ),
        menu=(MenuEntry("status", N_("status 2005-C1 in progress: set a status"), 7),),
    ),
    CommandSpec(
        name="schedule",
        words={"schedule": plain(with_when_errors(parse_schedule))},
        local={"schedule": {"fr": "programmer", "ja": "日程設定"}},
        handlers={Schedule: later("handlers.commands.changes:schedule")},
        access=Access.change,
        rank=220,
        examples=(
            "schedule symposium 14 Oct 2027 in Ottawa host Canada", "schedule pol-mil autumn 2027",
            "schedule pol-mil 14 Oct 2027 09:30 Tokyo host Japan",
            "programmer symposium 14 octobre 2027 à Ottawa hôte Canada", "programmer pol-mil automne 2027",
            "programmer symposium 14 octobre 2027 à 14 h Ottawa",
            "日程設定 シンポジウム 2027年10月14日 場所 東京 主催 日本",
            "日程設定 シンポジウム 2027年10月14日 9時30分 東京",
        ),  # fmt: skip
        coordinators_help=N_(
            "`/agenda schedule <meeting> <date, month or season> [<time> <city>] [in <city>] "
            "[host Canada|Japan] [confirm]`: fix or record a meeting, at a time of day if given (shown in both "
            "capitals; with no city, the host's); `confirm` fixes a weekend or holiday after the warning."
        ),
        menu=(MenuEntry("schedule", N_("schedule symposium 14 Oct 2027 in Ottawa"), 9),),
    ),
    CommandSpec(
        name="sensitivity",
        words={"sensitivity": plain(parse_sensitivity)},
        local={"sensitivity": {"fr": "sensibilité", "ja": "公開範囲"}},
        handlers={SetSensitivity: later("handlers.commands.changes:set_sensitivity")},
        access=Access.change,
        rank=230,
        examples=("sensitivity 2005-C1 restricted",),
        coordinators_help=N_("`/agenda sensitivity <id> public|restricted`: restricted items never show in a channel."),
    ),
    CommandSpec(
        name="form",
        words={"add": plain(parse_add), "edit": plain(parse_edit)},
        local={"add": {"fr": "ajouter", "ja": "追加"}, "edit": {"fr": "modifier", "ja": "編集"}},
        handlers={OpenForm: later("handlers.commands.forms:open_form")},
        access=Access.read_uncached,
        rank=260,
        examples=("add", "edit 2002-A4"),
        coordinators_help=N_("`/agenda add`, `/agenda edit <id>`: a form for a new or existing commitment."),
    ),
    CommandSpec(
        name="role",
        words={"role": plain(parse_role)},
        local={"role": {"ja": "役割"}},  # "rôle" is "role" once its accent is folded
        handlers={SetRole: later("handlers.commands.changes:set_role")},
        access=Access.change,
        rank=270,
        examples=("role <@slack:UMEMBER> coordinator",),
        coordinators_help=N_("`/agenda role <@person> coordinator|admin|member` (admins)."),
    ),
)
