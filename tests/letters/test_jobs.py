"""Letters printed in the background by `flask worker`: one PDF of the whole community in the object store, the pages
done recorded as it goes, one worker per job, a job nobody finishes taken over, a print that cannot be made failed
with its reason."""
from datetime import timedelta

from sqlalchemy import func, select

from app.clock import utcnow
from app.codes.wxacodes import set_code_kind
from app.letters import jobs
from app.letters.jobs import claim_job, job_file, queue_job, run_job
from app.models import Household
from app.models.codes import CodeKind
from app.models.letters import JobState, LetterJob
from app.storage import object_store
from app.web.extensions import db
from tests import factories as f
from tests.qr.scan import pdf_text


def _pages_of(job, tmp_path) -> list[str]:
    out = tmp_path / "job.pdf"
    with job_file(job) as data:
        out.write_bytes(data.read())
    return pdf_text(out).split("\f")[:-1]


def test_the_worker_prints_the_community_as_one_pdf_recording_its_progress(runner, app, world, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "store")
    f.more_households(world.unit2, jobs.CHUNK + 10 - 4)   # two chunks' worth with the world's four houses
    job = queue_job(world.admin_a, None)
    db.session.commit()
    # The progress a polling page reads after the first chunk: 50 of the 60 pages.
    ours = Household.community_id == world.a.id
    houses = db.session.scalars(select(Household.id).where(ours).order_by(Household.code)).all()
    pages = jobs._pages(job, houses)
    [next(pages) for _ in range(jobs.CHUNK + 1)]
    pages.close()
    db.session.expire_all()
    assert (job.pages, len(houses)) == (jobs.CHUNK, jobs.CHUNK + 10)
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert (job.state, job.pages, job.total) == (JobState.DONE, len(houses), len(houses))
    printed = _pages_of(job, tmp_path)
    codes = db.session.scalars(select(Household.code).where(ours).order_by(Household.code)).all()
    assert len(printed) == len(houses) and all(code in page.replace(" ", "") for code, page in zip(codes, printed))


def test_the_same_print_is_queued_once_and_a_new_print_replaces_the_old_file(app, world, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    first = queue_job(world.admin_a, None)
    assert queue_job(world.admin_a, None) is first
    grid = queue_job(world.admin_a, world.grid1.id)
    assert grid is not first
    db.session.commit()
    run_job(claim_job())
    assert first.state is JobState.DONE and first.total == 4 and object_store().open(first.file_key)
    old_key = first.file_key
    second = queue_job(world.admin_a, None)
    db.session.commit()
    run_job(claim_job())   # the grid's print
    run_job(claim_job())
    assert second.state is JobState.DONE and db.session.get(LetterJob, first.id) is None
    assert second.file_key == f"letters-{second.id}.pdf" and object_store().open(old_key) is None
    assert len(_pages_of(grid, tmp_path)) == 2


def test_one_worker_wins_a_job_and_an_abandoned_one_is_taken_over(app, world):
    job = queue_job(world.admin_a, None)
    db.session.commit()
    assert claim_job().id == job.id
    assert claim_job() is None   # running, and its worker is alive
    job.updated_at = utcnow() - jobs.LEASE - timedelta(seconds=1)   # its worker stopped beating
    db.session.commit()
    assert claim_job().id == job.id
    assert db.session.scalar(select(func.count(LetterJob.id))) == 1


def test_a_print_that_cannot_be_made_fails_with_its_reason(app, world):
    set_code_kind(world.a.id, CodeKind.WXACODE)   # mini-program codes, and this server has no WeChat
    job = queue_job(world.admin_a, None)
    db.session.commit()
    run_job(claim_job())
    db.session.expire_all()
    assert job.state is JobState.FAILED and "WeChat is not configured" in job.error and job.file_key is None
