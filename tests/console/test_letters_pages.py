"""The admin's letters page: small prints at once, large ones queued for the worker with their progress and then
the file; one house's letter by its code, and its reprint (the old QR code stops working) only once confirmed."""
import pytest
from sqlalchemy import select

from app.codes.services import code_for
from app.letters.jobs import claim_job, run_job
from app.models import AuditEvent, QrCode
from app.models.letters import JobState, LetterJob
from app.web.extensions import db
from tests.console.signing import sign_in
from tests.qr.scan import pdf_text


@pytest.fixture
def admin(app, client, world, tmp_path):
    """The admin signed in; a print of more than 3 houses (community A has 4, each grid 2) goes to the worker."""
    app.config.update(LETTERS_DIRECT_MAX=3, UPLOAD_DIR=str(tmp_path))
    return sign_in(client, world.admin_a)


def test_a_large_print_is_queued_shows_its_progress_and_then_its_file(client, world, admin, tmp_path):
    page = client.get("/console/letters").get_data(as_text=True)
    assert "后台生成全社区家书" in page and f"/console/grids/{world.grid1.id}/letters.pdf" in page   # a grid: at once
    queued = client.post("/console/letters/jobs", headers={**admin, "HX-Request": "true"})
    assert queued.status_code == 200 and "排队中" in queued.get_data(as_text=True)
    job = db.session.scalar(select(LetterJob))
    assert client.post("/console/letters/jobs", headers=admin).status_code == 303   # the same print, not a second
    assert db.session.scalar(select(LetterJob.id).where(LetterJob.id != job.id)) is None
    poll = {"HX-Request": "true"}
    job.state, job.pages, job.total = JobState.RUNNING, 2, 4   # as a worker leaves it half-way
    db.session.commit()
    running = client.get(f"/console/letters/jobs/{job.id}", headers=poll).get_data(as_text=True)
    assert "正在生成：2 / 4 页" in running and 'hx-trigger="every 1s"' in running
    job.state = JobState.QUEUED
    db.session.commit()
    run_job(claim_job())
    done = client.get(f"/console/letters/jobs/{job.id}", headers=poll).get_data(as_text=True)
    assert "已完成，共 4 页" in done and "hx-trigger" not in done
    pdf = client.get(f"/console/letters/jobs/{job.id}.pdf")
    assert pdf.mimetype == "application/pdf"
    (tmp_path / "c.pdf").write_bytes(pdf.data)
    assert len(pdf_text(tmp_path / "c.pdf").split("\f")[:-1]) == 4


def test_a_grid_print_is_queued_for_ones_own_community_only(client, world, admin):
    assert client.post("/console/letters/jobs", data={"grid": world.grid1.id}, headers=admin).status_code == 303
    assert db.session.scalar(select(LetterJob.grid_id)) == world.grid1.id
    assert client.post("/console/letters/jobs", data={"grid": world.grid_b.id}, headers=admin).status_code == 404
    assert client.post("/console/letters/jobs", data={"grid": "一"}, headers=admin).status_code == 422
    assert client.post("/console/letters/jobs", data={"grid": world.grid1.id}).status_code == 400   # no CSRF token


def test_another_communitys_job_answers_404_and_grid_heads_have_no_letters_page(client, world, admin):
    other = LetterJob(community_id=world.b.id, size="A4", requested_by_id=world.admin_b.id)
    db.session.add(other)
    db.session.commit()
    assert client.get(f"/console/letters/jobs/{other.id}", headers={"HX-Request": "true"}).status_code == 404
    assert client.get(f"/console/letters/jobs/{other.id}.pdf").status_code == 404
    head = client.application.test_client()
    sign_in(head, world.head1)
    assert head.get("/console/letters").status_code == 403
    assert head.get(f"/console/households/{world.house1.id}/letter.pdf").status_code == 403


def test_an_unfinished_jobs_file_is_not_there_yet(client, world, admin):
    client.post("/console/letters/jobs", headers=admin)
    job = db.session.scalar(select(LetterJob))
    answer = client.get(f"/console/letters/jobs/{job.id}.pdf")
    assert answer.status_code == 404 and "还没有生成好" in answer.get_data(as_text=True)


def test_one_houses_letter_and_its_reprint_after_confirming(client, world, admin, tmp_path):
    old = code_for(world.house1).token
    db.session.commit()
    page = client.get(f"/console/letters?house={world.house1.code}").get_data(as_text=True)
    assert world.house1.address in page and "第 1 版" in page
    letter = client.get(f"/console/households/{world.house1.id}/letter.pdf")
    (tmp_path / "one.pdf").write_bytes(letter.data)
    assert world.house1.code in pdf_text(tmp_path / "one.pdf").replace(" ", "")
    unconfirmed = client.post(f"/console/households/{world.house1.id}/reprint", headers=admin)
    assert unconfirmed.status_code == 422 and "旧家书上的二维码将失效" in unconfirmed.get_data(as_text=True)
    assert client.get(f"/api/scan/{old}").status_code == 200
    done = client.post(f"/console/households/{world.house1.id}/reprint", data={"confirm": "1"}, headers=admin)
    assert done.status_code == 303 and done.location.endswith(f"house={world.house1.code}#house")
    assert client.get(f"/api/scan/{old}").status_code == 410   # the old letter's QR code no longer works
    again = client.get(done.location).get_data(as_text=True)
    assert "第 2 版" in again and "旧二维码已失效" in again
    live = db.session.scalar(select(QrCode).where(QrCode.household_id == world.house1.id, QrCode.revoked_at.is_(None)))
    assert client.get(f"/api/scan/{live.token}").status_code == 200
    # The reprint is audited (every copy of the old letter stopped working); the unconfirmed try is not.
    reprints = db.session.execute(select(AuditEvent.actor_staff_id, AuditEvent.object_type, AuditEvent.object_id)
                                  .where(AuditEvent.action == "reprint")).all()
    assert reprints == [(world.admin_a.id, "household", str(world.house1.id))]


def test_another_communitys_house_answers_404(client, world, admin):
    assert client.get(f"/console/letters?house={world.house_b.code}").status_code == 404
    assert client.get(f"/console/households/{world.house_b.id}/letter.pdf").status_code == 404
    assert client.post(f"/console/households/{world.house_b.id}/reprint", data={"confirm": "1"},
                       headers=admin).status_code == 404
    assert client.post(f"/console/households/{world.house1.id}/reprint", data={"confirm": "1"}).status_code == 400
