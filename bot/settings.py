"""Every setting, read once from the environment and passed down.

Nothing below ``bot/`` reads the environment: handlers, scheduling and models
are handed what they need.
"""

from __future__ import annotations

from typing import Self

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SLACK_API_URL = "https://slack.com/api/"


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

    @property
    def admin_refs(self) -> frozenset[str]:
        """AGENDA_ADMINS as user refs; a bare id is a Slack user id."""
        ids = [part.strip() for part in self.admins.replace(";", ",").replace(" ", ",").split(",")]
        return frozenset(i if ":" in i else f"slack:{i}" for i in ids if i)

    @model_validator(mode="after")
    def _socket_mode_needs_bot_token(self) -> Self:
        if self.slack_app_token and not self.slack_bot_token:
            raise ValueError("SLACK_APP_TOKEN (Socket Mode) also needs SLACK_BOT_TOKEN")
        return self

    @property
    def slack_http_enabled(self) -> bool:
        return self.slack_signing_secret is not None

    @property
    def slack_socket_mode(self) -> bool:
        return self.slack_app_token is not None
