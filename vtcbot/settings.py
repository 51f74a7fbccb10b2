"""Settings from the environment and .env (every variable is in .env.example)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

OFFICIAL_API = "https://api.telegram.org"
# Relative paths in settings are read from the project folder, so the bot
# finds its data wherever it is started from.
PROJECT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=(PROJECT / ".env", ".env"), extra="ignore", env_file_encoding="utf-8"
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = OFFICIAL_API
    database_path: Path = Path("var/vtcbot.db")
    catalogue_path: Path = Path("data/centre.yaml")
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    staff_chat_id: int | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    concurrent_updates: int = 64
    staff_thread_id: int | None = None
    enquiry_idle_minutes: float = 30.0
    enquiry_escalation_hours: float = 8.0
    # A seat freed for the first in a group's waiting list is held this long.
    offer_hold_hours: float = Field(default=24.0, gt=0)
    retention_days: int = 365
    log_level: str = "INFO"
    # Telegram's flood limits: messages per second overall, seconds between
    # two messages to one learner, messages per minute to one group.
    send_rate_per_second: float = Field(default=30.0, ge=0)  # 0: no limit
    send_chat_interval_seconds: float = Field(default=1.0, ge=0)
    send_group_per_minute: float = Field(default=20.0, ge=0)
    # Telegram's paid broadcasts (up to 1,000 messages/s, charged in Stars):
    # announcements are sent with allow_paid_broadcast; raise the rate too.
    paid_broadcasts: bool = False
    # The web console (admin/), served by `vtcbot run` beside the bot.
    admin_enabled: bool = True
    admin_host: str = "127.0.0.1"
    admin_port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port
    # The address staff open, as sign-in links show it (e.g. behind the
    # centre's HTTPS proxy); by default http://ADMIN_HOST:ADMIN_PORT.
    admin_public_url: str | None = None
    # The TrueType font of the PDF certificates: it must have the Lithuanian
    # letters (Debian's fonts-dejavu-core, which `make install` installs).
    certificate_font: Path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    # Addresses or networks (CIDR) of the reverse proxy in front of the
    # console, comma-separated: only requests from these may set the client
    # address and scheme with X-Forwarded-For / X-Forwarded-Proto. Empty:
    # nobody is trusted, the address is the connection's own.
    forwarded_allow_ips: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Where Litestream replicates the database continuously: a directory path
    # or an S3-compatible URL (s3://bucket/path). `vtcbot restore` reads it
    # too. Empty: no replica (the bot warns at start-up).
    backup_replica_url: str | None = None
    # GET /healthz and GET /metrics (Prometheus); loopback unless the
    # monitoring server is elsewhere. METRICS_PORT=0: any free port; -1: off.
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(default=9464, ge=-1, le=65535)
    # On SIGTERM: how long handlers and the replies they started may take to
    # finish before the rest is left for the next start (which loses nothing).
    stop_grace_seconds: float = Field(default=15.0, ge=0)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("forwarded_allow_ips", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            for part in value:
                # An address or a network; "*" (everyone) is refused on purpose.
                ipaddress.ip_network(str(part), strict=False)
        return value

    @field_validator(
        "telegram_bot_token", "webhook_secret", "webhook_url", "backup_replica_url", mode="before"
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_api_url", mode="after")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("TELEGRAM_API_URL must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("database_path", "catalogue_path", mode="after")
    @classmethod
    def _from_project(cls, value: Path) -> Path:
        return value if value.is_absolute() or str(value) == ":memory:" else PROJECT / value

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None
