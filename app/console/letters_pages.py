"""The admin's letters page: a grid's or the community's letters in one PDF (a small print at once, a large one by
`flask worker` with its progress shown until the file is ready), and one house's letter found by its code, reprinted
if it was lost (its old QR code then stops working)."""
from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from app.auth.access import household_scope
from app.auth.principal import current_staff
from app.codes.services import current_code, reprint
from app.console import forms
from app.console.routes import _own_grid_or_404, _own_grids, bp
from app.console.signin import signed_in, staff_page
from app.letters.jobs import job_file, queue_job
from app.letters.routes import letter_file
from app.models import Household, Role
from app.models.letters import LetterJob
from app.web.extensions import db
from app.web.refusals import Refusal

RECENT_JOBS = 10


class PrintSchema(Schema):
    grid = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))   # none: the whole community


@bp.get("/letters")
@staff_page(Role.ADMIN)
def letters():
    p = signed_in()
    counts = dict(db.session.execute(select(Household.grid_id, func.count(Household.id)).where(
        Household.community_id == p.staff.community_id).group_by(Household.grid_id)).tuples().all())
    jobs = db.session.scalars(select(LetterJob).where(LetterJob.community_id == p.staff.community_id)
                              .order_by(LetterJob.id.desc()).limit(RECENT_JOBS)).all()
    code = request.args.get("house", "").strip()[:64]
    house = _house_by_code(code) if code else None
    return render_template("console/letters.html", grids=_own_grids(), counts=counts, total=sum(counts.values()),
                           direct_max=current_app.config["LETTERS_DIRECT_MAX"], jobs=jobs, code=code, house=house,
                           live=current_code(house) if house else None)


def _house_by_code(code: str) -> Household:
    return db.first_or_404(select(Household).where(Household.code == code, household_scope(signed_in())),
                           description=f"没有门牌编码为 {code} 的房屋。")


@bp.post("/letters/jobs")
@staff_page(Role.ADMIN)
def queue_letters():
    """Queue a print of the community, or of one grid (grid=<id>), for `flask worker`."""
    grid = forms.read(PrintSchema()).get("grid")
    grid_id = _own_grid_or_404(grid).id if grid is not None else None
    job = queue_job(signed_in().staff, grid_id)
    db.session.commit()
    if request.headers.get("HX-Request"):
        return render_template("console/_letter_job.html", job=job)
    return redirect(url_for("console.letters"), code=303)


def _job_or_404(job_id: int) -> LetterJob:
    return db.first_or_404(select(LetterJob).where(
        LetterJob.id == job_id, LetterJob.community_id == current_staff().community_id),
        description=f"Letter job {job_id} not found.")


@bp.get("/letters/jobs/<int:job_id>")
@staff_page(Role.ADMIN)
def letter_job(job_id):
    """How far the print is (htmx polls it every second until it is done), else the letters page."""
    job = _job_or_404(job_id)
    if request.headers.get("HX-Request"):
        return render_template("console/_letter_job.html", job=job)
    return redirect(url_for("console.letters"))


@bp.get("/letters/jobs/<int:job_id>.pdf")
@staff_page(Role.ADMIN)
def letter_job_file(job_id):
    job = _job_or_404(job_id)
    stem = f"letters-grid-{job.grid.number}" if job.grid else "letters-community"
    return send_file(job_file(job), mimetype="application/pdf", download_name=f"{stem}.pdf")


@bp.get("/households/<int:household_id>/letter.pdf")
@staff_page(Role.ADMIN)
def house_letter(household_id):
    return letter_file(_house_or_404(household_id))


def _house_or_404(household_id: int) -> Household:
    return db.first_or_404(select(Household).where(Household.id == household_id, household_scope(signed_in())),
                           description=f"Household {household_id} not found.")


@bp.post("/households/<int:household_id>/reprint")
@staff_page(Role.ADMIN)
def reprint_letter(household_id):
    """Reprint, as POST /api/households/<id>/code does: the old letter's QR code is revoked (scanning it says it
    was replaced) and a new one issued; only once the admin has ticked that they know."""
    house = _house_or_404(household_id)
    if request.form.get("confirm") != "1":
        raise Refusal("请先勾选确认：重印后旧家书上的二维码将失效。", "confirm")
    code = reprint(house, by=signed_in())
    db.session.commit()
    flash(f"已重印 {house.code} 的家书（第 {code.version} 版）：旧二维码已失效，请打印并张贴新家书。")
    return redirect(url_for("console.letters", house=house.code, _anchor="house"), code=303)
