"""Application settings read from the environment and `.env`."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    embedding_model_path: str | None = None
    embedding_mixed_precision: bool = Field(default=True, description="bfloat16 autocast where the CPU has it")
    upload_max_mb: float = 50.0
    talent_hub_radius_km: float = Field(50.0, ge=5, le=500, description="DBSCAN radius of a talent hub")
    meeting_minutes: int = Field(30, ge=10, le=120, description="length of a 1:1 meeting slot")
    meeting_requests_per_day: int = Field(10, ge=1, le=200, description="daily cap on 1:1 requests per attendee")
    demo_mode: bool = True
    start_worker_in_app: bool = False
    cookie_key: SecretStr = SecretStr("globalconnect-dev-cookie-key-change-me")
    recommendation_ttl_hours: int = 24

    @property
    def pg_dir(self) -> Path:
        return self.data_dir / "pg"

    @property
    def llm_model(self) -> str:
        return self.anthropic_model

    @property
    def llm_enabled(self) -> bool:
        return bool(self.anthropic_api_key and self.anthropic_api_key.get_secret_value())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own Settings instead)."""
    return Settings()
