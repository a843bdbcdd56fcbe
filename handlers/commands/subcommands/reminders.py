"""Reminders and the digest: lead times, the weekly digest, and the buttons on a reminder."""

from __future__ import annotations

from handlers.commands.parser import (
    Acknowledge,
    Digest,
    OpenReminder,
    Remind,
    Snooze,
    parse_ack,
    parse_digest,
    parse_open,
    parse_remind_or_question,
    parse_snooze,
)  # fmt: skip
from handlers.commands.registry import Access, CommandSpec, MenuEntry, Scope, later, or_lookup_in_other_words, plain
from handlers.views.i18n import N_

COMMANDS = (
    CommandSpec(
        name="remind",
        words={"remind": parse_remind_or_question},
        local={"remind": {"fr": ("rappel", "rappeler"), "ja": ("リマインド", "リマインダー")}},
        handlers={Remind: later("handlers.commands.reminder_settings:remind")},
        access=Access.change,
        rank=240,
        examples=(
            "remind me 14 2", "remind me default", "remind symposium 60 30 7",
            "rappel moi 14 2", "リマインド 自分 14 2",
        ),  # fmt: skip
        help=N_("`/agenda remind me 14 2`: your own reminder lead times (days before; `default` to reset)."),
        coordinators_help=N_("`/agenda remind <id or meeting> 60 30 7`: an item's reminder lead times."),
    ),
    CommandSpec(
        name="digest",
        words={"digest": or_lookup_in_other_words("digest", plain(parse_digest))},
        local={"digest": {"fr": "résumé", "ja": "ダイジェスト"}},
        handlers={Digest: later("handlers.commands.digest:digest")},
        access=Access.change,
        rank=250,
        examples=(
            "digest preview", "digest subscribe CT on friday at 08:30 Asia/Tokyo", "digest unsubscribe",
            "résumé abonner CT vendredi 8h30 Tokio", "ダイジェスト 登録 CT 金曜日 8時30分 東京",
        ),  # fmt: skip
        help=N_("`/agenda digest preview`: this channel's weekly digest, now, only for you."),
        coordinators_help=N_(
            "`/agenda digest subscribe [<areas>] [on monday] [at 09:00] [Ottawa|Tokyo|America/Toronto]`, "
            "`/agenda digest unsubscribe`: the weekly digest in this channel."
        ),
        # A digest is for a channel: only the channel menu offers it.
        menu=(MenuEntry("digest", N_("digest subscribe CT on monday at 09:00"), 10, scopes=(Scope.channel,)),),
    ),
    CommandSpec(
        name="ack",
        words={"ack": plain(parse_ack)},
        handlers={Acknowledge: later("handlers.commands.nudges:acknowledge")},
        access=Access.change,
        rank=1000,
        examples=("ack reminder:x:2027-10-14:7d:slack:UADMIN",),
        help=N_("The Acknowledge button on a reminder: it was seen, and no more reminders of it come."),
        pressed=True,
    ),
    CommandSpec(
        name="open",
        words={"open": plain(parse_open)},
        handlers={OpenReminder: later("handlers.commands.nudges:open_reminder")},
        access=Access.change,
        rank=1010,
        examples=("open reminder:x:2027-10-14:7d:slack:UADMIN",),
        help=N_("The Open button on a reminder: the item in full (the press is recorded)."),
        pressed=True,
    ),
    CommandSpec(
        name="snooze",
        words={"snooze": plain(parse_snooze)},
        handlers={Snooze: later("handlers.commands.nudges:snooze")},
        access=Access.change,
        rank=1020,
        examples=("snooze reminder:x:2027-10-14:7d:slack:UADMIN tomorrow",),
        help=N_("The Snooze buttons on a reminder: remind me tomorrow, or next week."),
        pressed=True,
    ),
)
