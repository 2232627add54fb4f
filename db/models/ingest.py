"""Dataset uploads: the file, its pipeline progress, its bytes until processed, and its row errors."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class UploadStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    REJECTED = "rejected"
    FAILED = "failed"


class UploadStage(StrEnum):
    QUEUED = "queued"
    VALIDATING = "validating"
    CLEANING = "cleaning"
    PROCESSING = "processing"
    STORING = "storing"
    DONE = "done"


class DatasetUpload(Base):
    """One uploaded file and its pipeline progress."""

    __tablename__ = "dataset_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(10), default="ui")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    stage: Mapped[str] = mapped_column(String(20), default="validating")
    progress: Mapped[float] = mapped_column(Float, default=0)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_valid: Mapped[int] = mapped_column(Integer, default=0)
    rows_invalid: Mapped[int] = mapped_column(Integer, default=0)
    rows_inserted: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    event_slug: Mapped[str | None] = mapped_column(String(80))  # the target event, created only when rows load
    line_label: Mapped[str] = mapped_column(String(20), default="line")
    warnings: Mapped[list[str]] = mapped_column(JSONB, default=list)
    follow_up_jobs: Mapped[list[str]] = mapped_column(JSONB, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(120))  # the worker holding the lease
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    errors_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # row problems, all of them


class UploadPayload(Base):
    """The bytes of a queued upload, kept until the worker has processed it."""

    __tablename__ = "upload_payloads"

    upload_id: Mapped[int] = mapped_column(ForeignKey("dataset_uploads.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class UploadRowError(Base):
    __tablename__ = "upload_row_errors"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("dataset_uploads.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(120), default="")
    message: Mapped[str] = mapped_column(Text)
