"""Settings read from `VENUE_HIRE_*` environment variables."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from casework.payment_gateway import GOVUK_PAY_BASE_URL
from vetting.channels.notify import NOTIFY_BASE_URL, parse_api_key

DEFAULT_VAR_DIR = Path("var")


class Settings(BaseSettings):
    """Service configuration; every field can be set as `VENUE_HIRE_<NAME>`."""

    # Errors name the setting, never its value: keys, passwords in URLs and secrets stay off the console.
    model_config = SettingsConfigDict(env_prefix="VENUE_HIRE_", extra="ignore", hide_input_in_errors=True)

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
    database_pool_size: int = Field(
        default=10,
        ge=1,
        le=200,
        description="PostgreSQL connections each worker keeps open (as many again may be opened at"
        " busy times); PostgreSQL's max_connections must cover every worker's twice over.",
    )
    redis_url: str | None = Field(default=None, description="Redis for shared sessions and rate limits.")
    freeze_startup_heap: bool = Field(
        default=True,
        description="Move what the app made while starting out of the garbage collector's reach"
        " (gc.freeze); the test suite, which starts thousands of apps in one process, turns it off.",
    )
    read_replica_url: str | None = Field(
        default=None,
        description="A PostgreSQL standby (streaming replication) that the reports and the calendar"
        " feeds read from; unset, they read the database_url (docs/deployment.md).",
    )
    environment: str = Field(default="development", description="development, test or production.")
    council_name: str = Field(default="Example Borough Council")
    registry_backend: str = Field(
        default="null",
        description="Charity/company register look-up: null (format only), local (the imported extracts) "
        "or live (the Companies House and Charity Commission APIs, with the keys below).",
    )
    companies_house_api_key: SecretStr | None = Field(
        default=None, description="Companies House public data API key (sent as the basic-auth user)."
    )
    companies_house_api_url: str = "https://api.company-information.service.gov.uk"
    charity_commission_api_key: SecretStr | None = Field(
        default=None, description="Charity Commission Register API subscription key."
    )
    charity_commission_api_url: str = "https://api.charitycommission.gov.uk/register/api"
    registry_answer_max_age_days: int = Field(
        default=7, ge=0, description="A live register answer younger than this is reused, not asked again."
    )
    # The council's own branding on every page, never the crown or GOV.UK's font (docs/govuk-frontend.md)
    council_colour: str = Field(
        default="#1d70b8",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="The council's brand colour as #rrggbb: the header's and footer's rule.",
    )
    council_logo_url: str | None = Field(
        default=None,
        pattern=r"^/[A-Za-z0-9._/-]+$",
        description="A path on this service to the council's logo, for example /static/council-logo.svg.",
    )
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "venue-hire@example.invalid"
    outbox_dir: Path = DEFAULT_VAR_DIR / "outbox"
    screening_index_dir: Path | None = Field(
        default=DEFAULT_VAR_DIR / "screening-index",
        description="Where built screening indexes are saved per list and loaded at start; unset: rebuilt.",
    )
    screening_warm_up: bool | None = Field(
        default=None,
        description="Load or build the screening index at start, in the background (/ready says 503 until"
        " it is loaded); unset: yes, except in the test environment.",
    )
    mail_channel: Literal["smtp", "notify", "folder"] | None = Field(
        default=None,
        description="How email leaves: smtp, notify (GOV.UK Notify) or folder (.eml files in outbox_dir);"
        " unset: smtp when smtp_host is set, else folder. Texts always go through Notify when it is set up.",
    )
    notify_api_key: SecretStr | None = Field(default=None, description="GOV.UK Notify API key")
    # Online payment of invoices (issue 19): "manual" offers none; staff record what arrives.
    payments_provider: Literal["manual", "govuk_pay"] = "manual"
    govuk_pay_api_key: SecretStr | None = Field(default=None, description="GOV.UK Pay API key")
    govuk_pay_base_url: str = GOVUK_PAY_BASE_URL
    govuk_pay_webhook_secret: SecretStr | None = Field(
        default=None, description="GOV.UK Pay webhook signing secret (checks Pay-Signature)"
    )
    notify_base_url: str = NOTIFY_BASE_URL
    notify_email_template_id: str | None = Field(
        default=None, description="Notify email template with subject ((subject)) and body ((body))"
    )
    notify_sms_template_id: str | None = Field(
        default=None, description="Notify text message template with body ((body)); unset: no texts"
    )
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
    # Documents (issue 20): where their files are kept, where uploads are spooled while they are
    # checked, and ClamAV's clamd socket (unset: documents are accepted and marked "not scanned").
    documents_store: str = Field(
        default=str(DEFAULT_VAR_DIR / "documents"),
        description="A directory, or an s3:// URL (obstore; credentials from the AWS_* environment).",
    )
    documents_spool_dir: Path = DEFAULT_VAR_DIR / "uploads"
    clamd_socket: str | None = Field(
        default=None, description="clamd's unix socket, for example /run/clamav/clamd.ctl"
    )

    @field_validator("screening_index_dir", "read_replica_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # VENUE_HIRE_SCREENING_INDEX_DIR= (empty) turns saving off, rather than saving in the working
        # folder; an empty VENUE_HIRE_READ_REPLICA_URL means no standby.
        return None if value == "" else value

    @model_validator(mode="after")
    def _channels_complete(self) -> Settings:
        problem = channel_problem(self)
        if problem:
            raise ValueError(problem)
        return self

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


def notify_key(settings: Settings) -> str:
    """The Notify API key, or "" (a plain string too: `model_copy(update=...)` does not convert)."""
    key: SecretStr | str | None = settings.notify_api_key
    return key.get_secret_value() if isinstance(key, SecretStr) else (key or "").strip()


def channel_problem(settings: Settings) -> str | None:
    """Why the mail settings cannot work, said at start-up rather than at the first message."""
    key = notify_key(settings)
    if key:
        try:
            parse_api_key(key)
        except ValueError as exc:
            return f"VENUE_HIRE_NOTIFY_API_KEY: {exc}"
    if settings.mail_channel == "notify" and not (key and settings.notify_email_template_id):
        return (
            "VENUE_HIRE_MAIL_CHANNEL=notify needs VENUE_HIRE_NOTIFY_API_KEY and"
            " VENUE_HIRE_NOTIFY_EMAIL_TEMPLATE_ID"
        )
    if settings.notify_sms_template_id and not key:
        return "VENUE_HIRE_NOTIFY_SMS_TEMPLATE_ID needs VENUE_HIRE_NOTIFY_API_KEY"
    if settings.mail_channel == "smtp" and not settings.smtp_host:
        return "VENUE_HIRE_MAIL_CHANNEL=smtp needs VENUE_HIRE_SMTP_HOST"
    return None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
