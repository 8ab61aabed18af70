"""Settings read from `VENUE_HIRE_*` environment variables."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_VAR_DIR = Path("var")


class Settings(BaseSettings):
    """Service configuration; every field can be set as `VENUE_HIRE_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="VENUE_HIRE_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{DEFAULT_VAR_DIR / 'venue-hire.sqlite3'}",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://...",
    )
    secret_key: str = Field(
        default="", description="Signs sessions and CSRF tokens; generated into var/ when empty."
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000", description="Public address used in links and feeds."
    )
    redis_url: str | None = Field(default=None, description="Redis for shared sessions and rate limits.")
    environment: str = Field(default="development", description="development, test or production.")
    council_name: str = Field(default="Example Borough Council")
    registry_backend: str = Field(default="null", description="Charity/company register look-up backend.")
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "venue-hire@example.invalid"
    outbox_dir: Path = DEFAULT_VAR_DIR / "outbox"
    # Delivery and scheduled work (README "Delivery"): "embedded" runs them inside the service,
    # "worker" leaves them to `venue-hire worker` processes woken through Redis (SAQ), "off"
    # writes messages to the outbox and delivers nothing (tests drive delivery themselves).
    delivery: str = Field(default="embedded", pattern="^(embedded|worker|off)$")
    outbox_poll_seconds: float = 5.0  # how often retries and lapsed claims are looked for
    outbox_lease_seconds: float = 60.0  # how long a deliverer holds a message it is sending
    outbox_max_attempts: int = 8
    outbox_first_backoff_seconds: float = 30.0
    scheduler_enabled: bool = True  # run scheduled jobs where delivery runs (tests turn it off)
    schedule_tick_seconds: float = 60.0  # how often scheduled jobs run (the first: one tick after start)
    worker_queue: str = "venue-hire"  # the SAQ queue's name in Redis
    allowed_hosts: list[str] = Field(default_factory=lambda: ["*"])
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "INFO"
    booking_horizon_months: int = 12

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        raw = self.database_url.split(":///", 1)[1]
        return Path(raw)

    def resolved_secret_key(self) -> str:
        """Return the configured key, or one persisted under var/ so restarts keep sessions valid."""
        if self.secret_key:
            return self.secret_key
        key_file = DEFAULT_VAR_DIR / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        DEFAULT_VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
