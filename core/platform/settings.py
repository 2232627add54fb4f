"""Application settings read from the environment and `.env`."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_COOKIE_KEY = "globalconnect-dev-cookie-key-change-me"
MIN_COOKIE_KEY = 32


class InsecureSettings(RuntimeError):
    """A setting that is unsafe outside the demo; the message says how to fix it."""


class Settings(BaseSettings):
    """Every tunable of the app; secrets are SecretStr so they never print."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str | None = Field(default=None, description="Postgres URL; unset = embedded pgserver")
    data_dir: Path = Path(".data")
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-4-5"
    llm_timeout_seconds: float = 30.0
    llm_max_retries: int = 2
    llm_requests_per_minute: float = Field(default=50.0, description="token-bucket rate limit of LLM calls")
    llm_burst: int = 10
    llm_daily_calls_per_event: int = Field(2000, ge=0, description="LLM re-rank calls per event per day")
    embedding_model_path: str | None = None
    embedding_mixed_precision: bool = Field(default=True, description="bfloat16 autocast where the CPU has it")
    embedding_backend: str = Field("auto", pattern="^(auto|torch|onnx|onnx-int8)$", description="the embedding "
                                   "runtime; auto = the fastest that reproduces torch fp32 on this machine")
    embedding_cache_dir: Path | None = Field(None, description="where the ONNX export and the per-machine backend "
                                             "choice are cached; unset = the user's cache directory")
    upload_max_mb: float = 50.0
    upload_max_rows: int = Field(1_000_000, ge=1, description="data rows read from one uploaded file")
    upload_max_columns: int = Field(200, ge=1, description="columns read from one uploaded file")
    upload_max_unpacked_mb: float = Field(200.0, gt=0, description="uncompressed size of one XLSX workbook")
    worker_lease_seconds: int = Field(60, ge=5, description="silence after which a claimed upload or job is requeued")
    work_max_attempts: int = Field(3, ge=1, description="claims of one upload or job before it is marked failed")
    talent_hub_radius_km: float = Field(50.0, ge=5, le=500, description="DBSCAN radius of a talent hub")
    meeting_minutes: int = Field(30, ge=10, le=120, description="length of a 1:1 meeting slot")
    outreach_daily_cap: int = Field(20, ge=1, description="new requests, pings and meeting requests a day")
    outreach_new_account_daily_cap: int = Field(5, ge=1, description="the daily cap in an account's first days")
    outreach_new_account_days: int = Field(7, ge=0, description="how long an account counts as new")
    outreach_low_response_share: float = Field(0.2, ge=0, le=1, description="below this answered share, cap halves")
    outreach_low_response_min_sent: int = Field(10, ge=1, description="earlier outreach needed before it halves")
    meeting_requests_per_day: int = Field(10, ge=1, le=200, description="daily cap on 1:1 requests per attendee")
    huddle_problem_similarity: float = Field(0.40, ge=0, le=1, description="cosine similarity every pair of a "
                                             "problem huddle's statements reaches (calibrated for all-MiniLM-L6-v2)")
    github_api_url: str = Field("https://api.github.com", description="GitHub's REST API (or a proxy of it)")
    github_token: SecretStr | None = Field(None, description="raises GitHub's rate limit; with no search API "
                                           "configured, enrichment reads GitHub alone for registered usernames")
    search_api_url: str | None = Field(None, description="web search API (query in; url, title, content out); "
                                       "unset = enrichment is off")
    search_api_key: SecretStr | None = None
    enrichment_search_per_hour: int = Field(100, ge=1, description="search calls an hour (token bucket)")
    enrichment_github_per_hour: int = Field(50, ge=1, description="GitHub profile lookups an hour (token bucket)")
    enrichment_timeout_seconds: float = Field(10.0, gt=0, description="timeout of one enrichment HTTP call")
    enrichment_max_attempts: int = Field(3, ge=1, description="tries of one person's enrichment before it stays "
                                         "failed")
    enrichment_retry_minutes: int = Field(15, ge=1, description="first retry delay; it doubles with each attempt")
    reengagement_cooldown_days: int = Field(14, ge=0, description="days after a message is sent before a community "
                                            "member may get another (seed 002's can_send_new_message)")
    alumni_card_key: SecretStr | None = Field(None, description="Fernet key that encrypts and signs alumni card QR "
                                              "codes; unset = cards are off (a fixed development key in demo mode)")
    alumni_card_valid_days: int = Field(730, ge=1, le=3650, description="days an alumni card stays valid")
    demo_mode: bool = True
    show_error_details: bool = Field(False, description="show tracebacks in the browser (development only)")
    start_worker_in_app: bool = False
    cookie_key: SecretStr = SecretStr(DEV_COOKIE_KEY)
    recommendation_ttl_hours: int = 24
    public_base_url: str = Field("http://127.0.0.1:8501", description="the app's address, used in emailed links")
    invitation_days: int = Field(14, ge=1, le=365, description="days an invitation link stays valid")
    password_reset_hours: int = Field(24, ge=1, le=720, description="hours a password-reset link stays valid")
    smtp_host: str | None = Field(default=None, description="unset = the app sends no email itself")
    smtp_port: int = 587
    smtp_tls: str = Field("starttls", pattern="^(starttls|ssl|none)$")
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = "GlobalConnect <no-reply@globalconnect.example>"
    data_controller_name: str = Field("GlobalConnect (demo operator)", description="who is responsible for the "
                                      "personal data, shown on the data-processing page")
    data_controller_contact: str = Field("privacy@globalconnect.example", description="where people send privacy "
                                         "questions and requests")
    recommendation_retention_days: int = Field(365, ge=1, description="days after which a recommendation's "
                                               "reasons are anonymised (the score is kept for analytics)")
    enrichment_retention_days: int = Field(730, ge=1, description="days after a person's last event after which "
                                           "their enrichment data is purged")
    enrichment_log_retention_days: int = Field(90, ge=1, description="days enrichment logs are kept (debugging)")
    location_share_retention_days: int = Field(90, ge=0, description="days after an event ends that its location "
                                               "shares are kept")
    audit_retention_days: int = Field(2555, ge=1, description="days audit entries are kept (7 years)")
    deletion_grace_days: int = Field(30, ge=0, le=365, description="days between a deletion request and the "
                                     "hard delete; the person can cancel until then")

    @property
    def pg_dir(self) -> Path:
        return self.data_dir / "pg"

    @property
    def llm_model(self) -> str:
        return self.anthropic_model

    @property
    def mail_enabled(self) -> bool:
        return bool(self.smtp_host)

    def check_secure(self) -> None:
        """Refuse to run outside demo mode with the development cookie key or a short one."""
        if self.demo_mode:
            return
        key = self.cookie_key.get_secret_value()
        if key == DEV_COOKIE_KEY or len(key) < MIN_COOKIE_KEY:
            raise InsecureSettings(
                f"COOKIE_KEY must be set to a secret of at least {MIN_COOKIE_KEY} characters when DEMO_MODE=false "
                "(it signs the login cookies). Generate one with: python -c \"import secrets; "
                "print(secrets.token_urlsafe(48))\" and put COOKIE_KEY=... in the environment or .env.")

    @property
    def enrichment_enabled(self) -> bool:
        """Enrichment runs only with a configured source: the search API (URL and key), or a GitHub token."""
        return bool(self.search_api_url and self.search_api_key) or self.github_token is not None

    @property
    def llm_enabled(self) -> bool:
        return bool(self.anthropic_api_key and self.anthropic_api_key.get_secret_value())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own Settings instead)."""
    return Settings()
