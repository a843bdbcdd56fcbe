"""Every setting, read once from the environment and passed down.

Nothing below ``bot/`` reads the environment: handlers, scheduling and models
are handed what they need.
"""

from __future__ import annotations

from datetime import time
from typing import Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.platforms import DEFAULT_TIMEZONE, qualified
from scheduling.capitals import Capital, Capitals, provinces

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/teams"
TEAMS_CLOUDS = ("Public", "USGov", "USGovDoD", "China")


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default="sqlite:///agenda.db",
        validation_alias=_env("DATABASE_URL"),
        repr=False,  # may hold a password
        description="SQLAlchemy URL. SQLite file by default; postgresql://user:pass@host/db for PostgreSQL.",
    )
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(default=None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_app_token: SecretStr | None = Field(default=None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str = Field(default=DEFAULT_SLACK_API_URL, validation_alias=_env("SLACK_API_URL"))
    # Microsoft Teams. Namespaced on purpose: the Teams SDK would read generic
    # names (CLIENT_ID, TENANT_ID…) itself; bot/teams/app.py passes these instead.
    teams_client_id: str | None = Field(default=None, validation_alias=_env("TEAMS_CLIENT_ID"))
    teams_client_secret: SecretStr | None = Field(default=None, validation_alias=_env("TEAMS_CLIENT_SECRET"))
    teams_tenant_id: str | None = Field(default=None, validation_alias=_env("TEAMS_TENANT_ID"))
    teams_cloud: str = Field(default="Public", validation_alias=_env("TEAMS_CLOUD"))
    teams_service_url: str = Field(default=DEFAULT_TEAMS_SERVICE_URL, validation_alias=_env("TEAMS_SERVICE_URL"))
    teams_openid_metadata_url: str | None = Field(
        default=None,
        validation_alias=_env("TEAMS_OPENID_METADATA_URL"),
        description="Bot Framework OpenID metadata URL (…/openidconfiguration); keys come from its /keys sibling.",
    )
    teams_allow_unauthenticated: bool = Field(
        default=False,
        validation_alias=_env("AGENDA_TEAMS_ALLOW_UNAUTHENTICATED"),
        description="Development only: accept /api/messages requests without a Bot Framework token.",
    )
    teams_tab_tenants: str = Field(
        default="",
        validation_alias=_env("AGENDA_TEAMS_TAB_TENANTS"),
        description="Tenant ids whose people may open the Teams tab, besides TEAMS_TENANT_ID (comma-separated).",
    )
    teams_tab_keys_url: str | None = Field(
        default=None,
        validation_alias=_env("AGENDA_TEAMS_TAB_KEYS_URL"),
        description="Entra ID signing keys for tab sign-in, with {tenant}; default: the cloud's discovery/v2.0/keys.",
    )
    host: str = Field(default="127.0.0.1", validation_alias=_env("AGENDA_HOST"))
    port: int = Field(default=3000, ge=1, le=65535, validation_alias=_env("AGENDA_PORT"))
    ack_budget_seconds: float = Field(
        default=2.0,
        ge=0.0,
        le=2.8,
        validation_alias=_env("AGENDA_ACK_BUDGET_SECONDS"),
        description="How long a slash command may take to answer inside Slack's 3-second acknowledgement.",
    )
    page_size: int = Field(default=8, ge=1, le=15, validation_alias=_env("AGENDA_PAGE_SIZE"))
    seed_on_start: bool = Field(default=True, validation_alias=_env("AGENDA_SEED_ON_START"))
    log_level: str = Field(default="INFO", validation_alias=_env("AGENDA_LOG_LEVEL"))
    admins: str = Field(
        default="",
        validation_alias=_env("AGENDA_ADMINS"),
        description="The first admins: platform user ids, comma-separated (U024BE7LH or slack:U024BE7LH).",
    )

    coordinators_channel: str | None = Field(
        default=None,
        validation_alias=_env("AGENDA_COORDINATORS_CHANNEL"),
        description="Slack channel id that gets a copy of every reminder and the overdue escalations.",
    )
    lead: str | None = Field(
        default=None, validation_alias=_env("AGENDA_LEAD"), description="User id overdue items escalate to."
    )
    default_timezone: str = Field(
        default=DEFAULT_TIMEZONE,
        validation_alias=_env("AGENDA_DEFAULT_TIMEZONE"),
        description="IANA zone for people whose platform gives none.",
    )
    reminder_lead_days: str = Field(default="30,7,1", validation_alias=_env("AGENDA_REMINDER_LEAD_DAYS"))
    date_prompt_weeks: int = Field(default=12, ge=1, le=104, validation_alias=_env("AGENDA_DATE_PROMPT_WEEKS"))
    overdue_grace_days: int = Field(default=7, ge=0, le=365, validation_alias=_env("AGENDA_OVERDUE_GRACE_DAYS"))
    escalate_every_days: int = Field(default=7, ge=1, le=365, validation_alias=_env("AGENDA_ESCALATE_EVERY_DAYS"))
    max_escalations: int = Field(default=4, ge=0, le=100, validation_alias=_env("AGENDA_MAX_ESCALATIONS"))
    catch_up_hours: int = Field(
        default=48,
        ge=0,
        le=24 * 30,
        validation_alias=_env("AGENDA_CATCH_UP_HOURS"),
        description="After downtime, messages that fell due within this many hours are still sent (marked late).",
    )
    capitals: str = Field(
        default="Ottawa=America/Toronto,Tokyo=Asia/Tokyo",
        validation_alias=_env("AGENDA_CAPITALS"),
        description="The two capitals as City=IANA zone, Canada's side first, Japan's second.",
    )
    province: str = Field(
        default="ON",
        validation_alias=_env("AGENDA_PROVINCE"),
        description="Province or territory whose public holidays count in Canada, besides the federal ones.",
    )
    working_hours: str = Field(
        default="09:00-17:30",
        validation_alias=_env("AGENDA_WORKING_HOURS"),
        description="Working hours, local time in each capital, for `/agenda slot`.",
    )
    plan_gap_days: int = Field(
        default=14,
        ge=0,
        le=120,
        validation_alias=_env("AGENDA_PLAN_GAP_DAYS"),
        description="`/agenda plan` keeps this many days between a proposed date and any other agenda date.",
    )
    scheduler_enabled: bool = Field(default=True, validation_alias=_env("AGENDA_SCHEDULER"))
    planner_seconds: float = Field(default=300, gt=0, le=3600, validation_alias=_env("AGENDA_PLANNER_SECONDS"))
    dispatch_seconds: float = Field(default=10, gt=0, le=600, validation_alias=_env("AGENDA_DISPATCH_SECONDS"))
    dispatch_lease_seconds: float = Field(
        default=120,
        ge=1,
        le=3600,
        validation_alias=_env("AGENDA_DISPATCH_LEASE_SECONDS"),
        description="How long a claimed message stays with one replica before another may take it over.",
    )

    log_format: Literal["text", "json"] = Field(
        default="text",
        validation_alias=_env("AGENDA_LOG_FORMAT"),
        description="text for people, json (one object per line) for log collectors.",
    )
    ready_outbox_lag_seconds: float = Field(
        default=900,
        gt=0,
        validation_alias=_env("AGENDA_READY_OUTBOX_LAG_SECONDS"),
        description="/readyz fails when a due message has waited longer than this.",
    )
    shutdown_seconds: float = Field(
        default=20,
        gt=0,
        le=300,
        validation_alias=_env("AGENDA_SHUTDOWN_SECONDS"),
        description="On SIGTERM: how long in-flight requests and deliveries may take to finish.",
    )

    public_url: str = Field(
        default="http://127.0.0.1:3000",
        validation_alias=_env("AGENDA_PUBLIC_URL"),
        description="Where people reach this server (behind a proxy: its public https address); calendar links use it.",
    )

    max_request_bytes: int = Field(
        default=256 * 1024,
        ge=16 * 1024,
        le=16 * 1024 * 1024,
        validation_alias=_env("AGENDA_MAX_REQUEST_BYTES"),
        description="Largest request body accepted (413 past it), checked before any parsing or authentication.",
    )

    import_max_bytes: int = Field(
        default=512 * 1024,
        ge=1024,
        le=16 * 1024 * 1024,
        validation_alias=_env("AGENDA_IMPORT_MAX_BYTES"),
        description="Largest file an admin may share with the bot to import (all the files of one message together).",
    )

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")) or " " in value:
            raise ValueError("AGENDA_PUBLIC_URL is an http(s) address, e.g. https://agenda.example.org")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}: use an IANA name such as America/Toronto") from exc
        return value

    @field_validator("capitals")
    @classmethod
    def _two_capitals(cls, value: str) -> str:
        _parse_capitals(value)
        return value

    @field_validator("province")
    @classmethod
    def _known_province(cls, value: str) -> str:
        if value.upper() not in provinces():
            raise ValueError(f"unknown province {value!r}: one of {', '.join(provinces())}")
        return value.upper()

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        _parse_hours(value)
        return value

    @property
    def capitals_config(self) -> Capitals:
        canada, japan = _parse_capitals(self.capitals)
        return Capitals(canada, japan, province=self.province, working_hours=_parse_hours(self.working_hours))

    @field_validator("reminder_lead_days")
    @classmethod
    def _lead_days(cls, value: str) -> str:
        parts = [p for p in value.replace(" ", ",").split(",") if p]
        if not parts or not all(p.isdigit() and 0 <= int(p) <= 365 for p in parts):
            raise ValueError("lead days are whole numbers of days, comma-separated, e.g. 30,7,1")
        return value

    @property
    def lead_days(self) -> tuple[int, ...]:
        return tuple(sorted({int(p) for p in self.reminder_lead_days.replace(" ", ",").split(",") if p}, reverse=True))

    @property
    def admin_refs(self) -> frozenset[str]:
        """AGENDA_ADMINS as user refs (a bare id is the default platform's: models/platforms.py)."""
        ids = [part.strip() for part in self.admins.replace(";", ",").replace(" ", ",").split(",")]
        return frozenset(qualified(i) for i in ids if i)

    @field_validator("teams_cloud")
    @classmethod
    def _known_cloud(cls, value: str) -> str:
        if value.lower() not in {c.lower() for c in TEAMS_CLOUDS}:
            raise ValueError(f"TEAMS_CLOUD is one of {', '.join(TEAMS_CLOUDS)}")
        return value

    def serving_problems(self) -> list[str]:
        """What stops the server from running with these settings (empty: nothing).

        Checked by the commands that serve (``agenda-bot serve``, the web app),
        not when settings are read: a command needs only the settings it uses,
        and writing a Teams package, say, needs the app id but no secret.
        """
        problems = []
        if self.slack_app_token and not self.slack_bot_token:
            problems.append("SLACK_APP_TOKEN (Socket Mode) also needs SLACK_BOT_TOKEN")
        if (self.teams_client_id is None) != (self.teams_client_secret is None):
            problems.append("TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET are set together (the bot's Entra app)")
        if self.teams_client_id and self.teams_allow_unauthenticated:
            problems.append(
                "AGENDA_TEAMS_ALLOW_UNAUTHENTICATED is for development without TEAMS_CLIENT_ID: "
                "with a client id every Teams request is authenticated. Unset one of them."
            )
        return problems

    def check_for_serving(self) -> Self:
        if problems := self.serving_problems():
            raise ValueError("; ".join(problems))
        return self

    @property
    def teams_enabled(self) -> bool:
        return self.teams_client_id is not None or self.teams_allow_unauthenticated

    @property
    def teams_tab_tenant_ids(self) -> frozenset[str]:
        """Whose people may open the Teams tab: TEAMS_TENANT_ID and AGENDA_TEAMS_TAB_TENANTS."""
        listed = self.teams_tab_tenants.replace(";", ",").replace(" ", ",").split(",")
        return frozenset(t.strip().lower() for t in [*listed, self.teams_tenant_id or ""] if t.strip())

    @property
    def secret_values(self) -> list[str]:
        """Every secret this process holds, for the log redactor (bot/logs.py)."""
        secrets = [
            value.get_secret_value()
            for name in type(self).model_fields
            if isinstance(value := getattr(self, name), SecretStr)
        ]
        password = _url_password(self.database_url)
        return [s for s in [*secrets, password] if s]

    @property
    def slack_http_enabled(self) -> bool:
        return self.slack_signing_secret is not None

    @property
    def slack_socket_mode(self) -> bool:
        return self.slack_app_token is not None


def _url_password(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).password
    except Exception:  # a malformed URL fails later, with a clearer message, when the engine is made
        return None


def _parse_capitals(value: str) -> tuple[Capital, Capital]:
    pairs = [p.split("=", 1) for p in value.split(",") if p.strip()]
    if len(pairs) != 2 or any(len(p) != 2 or not p[0].strip() for p in pairs):
        raise ValueError("two capitals as City=Zone, Canada's first: Ottawa=America/Toronto,Tokyo=Asia/Tokyo")
    capitals = []
    for (city, zone), country in zip(pairs, ("CA", "JP"), strict=True):
        try:
            ZoneInfo(zone.strip())
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {zone!r} for {city.strip()}: use an IANA name") from exc
        capitals.append(Capital(city.strip(), zone.strip(), country))
    return capitals[0], capitals[1]


def _parse_hours(value: str) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError as exc:
        raise ValueError(f"working hours as HH:MM-HH:MM, e.g. 09:00-17:30, not {value!r}") from exc
    if start >= end:
        raise ValueError("working hours must end after they start, within one day")
    return start, end
