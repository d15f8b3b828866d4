"""Printing a community's or a grid's letters in the background: the console queues a LetterJob, `flask worker`
claims it, prints the pages in chunks (recording how many are done after each) into one PDF, and puts the file in
the object store (app/storage), where every app server finds it.

A job is claimed by a conditional UPDATE only one worker wins; a running job whose worker stopped beating
(updated_at older than LEASE) is taken over. A finished print replaces the previous file of the same selection.
"""
import logging
import tempfile
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import BinaryIO

from sqlalchemy import select, update

from app.clock import utcnow
from app.codes.wxacodes import NotConfigured
from app.letters.content import letters_for
from app.models import Household, Staff
from app.models.letters import JobState, LetterJob
from app.storage import object_store
from app.web.extensions import db
from app.web.refusals import NotFound
from qr.fonts import FontMissing
from qr.letter import LetterData, write_letters_pdf
from wechat.errors import WeChatError

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
CHUNK = 50   # pages printed between two progress records
UNFINISHED = (JobState.QUEUED, JobState.RUNNING)


def houses_of(job: LetterJob):
    """The condition on Household of the job's selection."""
    if job.grid_id is not None:
        return Household.grid_id == job.grid_id
    return Household.community_id == job.community_id


def _same_selection(community_id: int, grid_id: int | None, size: str):
    """The jobs printing the same houses (the community, or one grid of it) on the same paper."""
    grid = LetterJob.grid_id.is_(None) if grid_id is None else LetterJob.grid_id == grid_id
    return (LetterJob.community_id == community_id) & grid & (LetterJob.size == size)


def queue_job(by: Staff, grid_id: int | None, size: str = "A4") -> LetterJob:
    """A print of the community (grid_id None) or one of its grids; the same selection already queued or running
    is that job, not a second one. The caller has checked the grid is theirs; it commits."""
    same = db.session.scalar(select(LetterJob).where(
        _same_selection(by.community_id, grid_id, size), LetterJob.state.in_(UNFINISHED)))
    if same is not None:
        return same
    job = LetterJob(community_id=by.community_id, grid_id=grid_id, size=size, requested_by_id=by.id)
    db.session.add(job)
    db.session.flush()
    return job


def claim_job() -> LetterJob | None:
    """The oldest queued job, or a running one its worker abandoned, taken by this worker (committed)."""
    now = utcnow()
    waiting = (LetterJob.state == JobState.QUEUED) | (
        (LetterJob.state == JobState.RUNNING) & (LetterJob.updated_at < now - LEASE))
    for job_id, state, beat in db.session.execute(
            select(LetterJob.id, LetterJob.state, LetterJob.updated_at).where(waiting)
            .order_by(LetterJob.id).limit(5)):
        won = db.session.execute(  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
            update(LetterJob).where(LetterJob.id == job_id, LetterJob.state == state, LetterJob.updated_at == beat)
            .values(state=JobState.RUNNING, pages=0, updated_at=now)).rowcount == 1
        db.session.commit()
        if won:
            return db.session.get(LetterJob, job_id)
    return None


def run_job(job: LetterJob) -> None:
    """Print the job's letters and store the file; a print that cannot be made (no font, no WeChat for its
    mini-program codes) fails the job with the reason, which the console shows."""
    try:
        houses = db.session.scalars(select(Household.id).where(houses_of(job)).order_by(Household.code)).all()
        job.total, job.updated_at = len(houses), utcnow()
        db.session.commit()
        with tempfile.TemporaryFile() as spool:
            write_letters_pdf(_pages(job, houses), spool, job.size)
            spool.seek(0)
            key = f"letters-{job.id}.pdf"
            object_store().put(key, spool.read(), "application/pdf")
        job.file_key, job.state, job.updated_at = key, JobState.DONE, utcnow()
        _drop_older(job)
        db.session.commit()
    except (FontMissing, NotConfigured, WeChatError) as exc:
        _failed(job, str(exc))
    except Exception:   # the worker goes on with the next job; the trace is in its log
        log.exception("letter job %s failed", job.id)
        _failed(job, "生成失败，请稍后重试。")


def _pages(job: LetterJob, houses: Sequence[int]) -> Iterator[LetterData]:
    """The letters in chunks, each read to its end before the progress is committed (a commit would close the
    cursor a chunk streams from)."""
    for start in range(0, len(houses), CHUNK):
        chunk = houses[start:start + CHUNK]
        yield from letters_for(Household.id.in_(chunk))   # a worker may wait for WeChat's codes as long as it takes
        job.pages, job.updated_at = start + len(chunk), utcnow()
        db.session.commit()


def _failed(job: LetterJob, reason: str) -> None:
    db.session.rollback()
    job.state, job.error, job.updated_at = JobState.FAILED, reason, utcnow()
    db.session.commit()


def _drop_older(job: LetterJob) -> None:
    """The previous prints of the same selection go, their files with them."""
    older = db.session.scalars(select(LetterJob).where(
        _same_selection(job.community_id, job.grid_id, job.size), LetterJob.id < job.id,
        LetterJob.state.in_((JobState.DONE, JobState.FAILED)))).all()
    for old in older:
        if old.file_key:
            object_store().delete(old.file_key)
        db.session.delete(old)


def run_next_job() -> bool:
    """Claim and run one job; whether there was one (for `flask worker`)."""
    job = claim_job()
    if job is None:
        return False
    run_job(job)
    return True


def job_file(job: LetterJob) -> BinaryIO:
    """The finished print's file, to stream."""
    data = object_store().open(job.file_key) if job.state is JobState.DONE and job.file_key else None
    if data is None:
        raise NotFound("这份家书文件还没有生成好，或已被新的打印替换。")
    return data
