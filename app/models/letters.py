"""Letter print jobs: a community's or a grid's letters printed by `flask worker` into one PDF in the object store,
with the pages done so far, for the console to show progress and offer the file."""
import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models.base import created_at_column
from app.web.extensions import Model


class JobState(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class LetterJob(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True)   # none: the whole community
    size: Mapped[str] = mapped_column(String(8))
    state: Mapped[JobState] = mapped_column(
        Enum(JobState, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=JobState.QUEUED, index=True)
    pages: Mapped[int] = mapped_column(Integer, default=0)   # printed so far
    total: Mapped[int] = mapped_column(Integer, default=0)   # houses to print, known once the worker starts
    file_key: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    # The worker's heartbeat: a running job not heard of for a lease is taken over by another worker.
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    grid = relationship("Grid")
    requested_by = relationship("Staff")
