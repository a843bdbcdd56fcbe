"""Private links: calendar feeds, the dashboard page, and linking a person's Slack and Teams accounts.

Making a link stores a token: these are changes, and their answers are never cached.
"""

from __future__ import annotations

import re

from handlers.commands.parser import (
    CalendarLinks,
    CalendarRevoke,
    DashboardAsk,
    DashboardRevoke,
    Link,
    parse_calendar,
    parse_dashboard,
    parse_link,
)  # fmt: skip
from handlers.commands.registry import Access, CommandSpec, MenuEntry, Scope, later, plain
from handlers.views.i18n import N_

_DE_BORD = re.compile(r"^de\s+bord\b\s*", re.IGNORECASE)  # `/agenda tableau de bord`: the dashboard

COMMANDS = (
    CommandSpec(
        name="calendar",
        words={"calendar": plain(parse_calendar)},
        local={"calendar": {"fr": "calendrier", "ja": "カレンダー"}},
        handlers={
            CalendarLinks: later("handlers.commands.calendar_links:calendar_links"),
            CalendarRevoke: later("handlers.commands.calendar_links:calendar_revoke"),
        },
        access=Access.change,
        rank=280,
        examples=("calendar", "calendar CT", "calendar revoke all", "calendar revoke <@slack:UMEMBER> all"),
        help=N_(
            "`/agenda calendar [<area>]`: private links to subscribe to in your calendar (the whole agenda and your "
            "items, or one area); `/agenda calendar revoke [agenda|mine|<area>|all]` turns them off."
        ),
        coordinators_help=N_(
            "`/agenda calendar revoke <@person> [agenda|mine|<area>|all]`: turn off someone's calendar links (admins)."
        ),
    ),
    CommandSpec(
        name="link",
        words={"link": plain(parse_link), "unlink": plain(lambda rest: parse_link(f"remove {rest}"))},
        local={"link": {"fr": "lier", "ja": "連携"}, "unlink": {"fr": "délier", "ja": "連携解除"}},
        handlers={Link: later("handlers.commands.linking:link")},
        access=Access.change,
        rank=290,
        examples=(
            "link", "link reminders teams", "link 1234-5678", "link remove <@slack:UMEMBER>", "unlink",
            "lier rappels teams", "lier rappels les deux", "lier 1234-5678", "délier",
            "連携 リマインダー スラック", "連携 リマインダー 両方", "連携 1234-5678", "連携解除",
        ),  # fmt: skip
        help=N_(
            "`/agenda link`: link your Slack and Teams accounts (a code to say on the other one), so what you own "
            "and your reminders follow you; `/agenda link reminders slack|teams|both` chooses where reminders go."
        ),
        coordinators_help=N_(
            "`/agenda link <@person>`: their linked accounts; `/agenda link remove <@person>`: undo a "
            "wrong link (admins)."
        ),
        aliases=frozenset({"unlink"}),
        # A link code is shown only in a 1:1 chat: only the personal menu offers it.
        menu=(MenuEntry("link", N_("Link this account with your Slack account"), 10, scopes=(Scope.personal,)),),
    ),
    CommandSpec(
        name="dashboard",
        words={"dashboard": plain(lambda rest: parse_dashboard(_DE_BORD.sub("", rest)))},
        local={"dashboard": {"fr": "tableau", "ja": "ダッシュボード"}},  # "tableau de bord": "de bord" is dropped
        handlers={
            DashboardAsk: later("handlers.commands.dashboard_links:dashboard_link"),
            DashboardRevoke: later("handlers.commands.dashboard_links:dashboard_revoke"),
        },
        access=Access.change,
        rank=300,
        examples=("dashboard", "dashboard revoke", "dashboard revoke <@slack:UMEMBER>"),
        help=N_(
            "`/agenda dashboard`: a private link to a read-only web page of the agenda; "
            "`/agenda dashboard revoke` turns it off."
        ),
        coordinators_help=N_("`/agenda dashboard revoke <@person>`: turn off someone's dashboard link (admins)."),
    ),
)
