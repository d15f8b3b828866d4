"""The community admin's settings and audit log: request categories and their routing, the letter's text with a
preview, Open311 keys, and who revealed or exported whose data. Each page calls the services the API calls, on the
admin's own community only (another community's category, key or entry answers 404)."""
from flask import flash, redirect, render_template, request, url_for
from marshmallow import EXCLUDE, fields, validate
from sqlalchemy import select

from app.console import forms
from app.console.paging import PagedSchema, one_page
from app.console.routes import bp, data_url
from app.console.signin import signed_in, staff_page
from app.console.words import AUDIT_ACTION, AUDIT_OBJECT, CODE_KIND, RESPONDER, ROLE, local_time
from app.figures.schemas import PeriodSchema
from app.letters.schemas import TemplateSchema
from app.letters.template import letter_text, preview_png, save_letter_text
from app.models import Category, Community, Role, Staff
from app.open311.keys import issue_key, keys_of, masked, own_key, revoke_key
from app.open311.keys_routes import KeyCreateSchema
from app.privacy.audit import audit_log, own_entry, record
from app.requests.categories import categories, ensure_defaults, own_category, save_category
from app.requests.schemas import CategoryChangeSchema, CategorySchema
from app.web.extensions import db
from app.web.formats import download
from app.web.ids import id_range
from app.web.spreadsheets import xlsx
from qr.template import PLACEHOLDERS

AUDIT_PAGE = 50


def _community_id() -> int:
    staff = signed_in().staff
    assert staff is not None   # signed_in() refuses a principal without one
    return staff.community_id


def _community() -> Community:
    return db.session.get_one(Community, _community_id())


def _back(endpoint: str, message: str):
    """Commit the change, say it on the page it goes back to (post/redirect/get)."""
    db.session.commit()
    flash(message)
    return redirect(url_for(endpoint), code=303)


# Request categories and their routing


def _category_form() -> dict:
    """The posted category: "grid_head" (the select's value) is no first responder, an emptied description none."""
    values: dict[str, str | None] = {key: value for key, value in request.form.items() if key != "csrf_token"}
    if values.get("first_responder") == "grid_head":
        values["first_responder"] = None
    if values.get("description") == "":
        values["description"] = None
    return values


@bp.get("/admin/categories")
@staff_page(Role.ADMIN)
def admin_categories():
    rows = categories(_community_id(), include_inactive=True)
    db.session.commit()   # a community's first look gives it the default categories
    return render_template("console/admin_categories.html", rows=rows, responders=RESPONDER)


@bp.post("/admin/categories")
@staff_page(Role.ADMIN)
def admin_add_category():
    """A new category, as POST /api/categories adds it."""
    community_id = _community_id()
    ensure_defaults(community_id)
    made = save_category(Category(community_id=community_id), forms.read(CategorySchema(), _category_form()))
    return _back("console.admin_categories", f"已添加服务类别“{made.name}”。")


@bp.get("/admin/categories/<int:category_id>")
@staff_page(Role.ADMIN)
def admin_category(category_id):
    return render_template("console/admin_category.html", c=own_category(_community_id(), category_id),
                           responders=RESPONDER)


@bp.post("/admin/categories/<int:category_id>")
@staff_page(Role.ADMIN)
def admin_edit_category(category_id):
    """Change a category, as PATCH /api/categories/<id> does (its code stays: Open311 callers file by it)."""
    category = own_category(_community_id(), category_id)
    changes = forms.read(CategoryChangeSchema(partial=True, exclude=("code",)), _category_form())
    save_category(category, changes)
    return _back("console.admin_categories", f"已保存服务类别“{category.name}”。")


@bp.post("/admin/categories/<int:category_id>/retire")
@staff_page(Role.ADMIN)
def admin_retire_category(category_id):
    """Retire a category, as DELETE /api/categories/<id> does: no new requests in it; its requests stay."""
    category = save_category(own_category(_community_id(), category_id), {"active": False})
    return _back("console.admin_categories", f"已停用服务类别“{category.name}”。")


# The letter's text


def _letter_page(template: str | None = None, status: int = 200):
    """The form with `template` (the saved text unless given) and a preview of it."""
    community = _community()
    saved = letter_text(community)
    text = saved["template"] if template is None else template
    return render_template("console/admin_letter.html", saved=saved, text=text, kinds=CODE_KIND,
                           placeholders=PLACEHOLDERS, preview=data_url(preview_png(community, text))), status


@bp.get("/admin/letter")
@staff_page(Role.ADMIN)
def admin_letter():
    return _letter_page()


@bp.post("/admin/letter")
@staff_page(Role.ADMIN)
def admin_save_letter():
    """Save the text (and the kind of code printed), as PUT /api/community/letter-template does."""
    body = forms.read(TemplateSchema())
    save_letter_text(_community(), body["template"], body.get("code_kind"))
    return _back("console.admin_letter", "已保存家书文字，此后打印的家书使用新文字。")


@bp.post("/admin/letter/preview")
@staff_page(Role.ADMIN)
def admin_preview_letter():
    """The sample letter with the text as typed, not saved: the picture alone for htmx, else the page."""
    template = forms.read(TemplateSchema(only=("template",), unknown=EXCLUDE))["template"]
    if request.headers.get("HX-Request"):
        preview = data_url(preview_png(_community(), template))
        return render_template("console/_letter_preview.html", preview=preview)
    return _letter_page(template)


# Open311 keys


def _keys_page(**shown):
    rows = keys_of(_community_id())
    return render_template("console/admin_keys.html", rows=rows, masked=masked, **shown)


@bp.get("/admin/open311-keys")
@staff_page(Role.ADMIN)
def admin_keys():
    return _keys_page()


@bp.post("/admin/open311-keys")
@staff_page(Role.ADMIN)
def admin_issue_key():
    """A key for a partner system, as POST /api/open311/keys issues it: shown on this answer only."""
    key, row = issue_key(_community_id(), forms.read(KeyCreateSchema())["label"], by=signed_in())
    db.session.commit()
    return _keys_page(new_key=key, new_row=row), 201


@bp.post("/admin/open311-keys/<int:key_id>/revoke")
@staff_page(Role.ADMIN)
def admin_revoke_key(key_id):
    """Revoke a key, as DELETE /api/open311/keys/<id> does: its holder's calls are refused from now on."""
    row = own_key(_community_id(), key_id)
    revoke_key(row, by=signed_in())
    return _back("console.admin_keys", f"已吊销密钥“{row.label}”（{masked(row)}）。")


# The audit log


class AuditQuerySchema(PeriodSchema, PagedSchema):
    actor = fields.Integer(validate=id_range())
    action = fields.String(validate=validate.OneOf(list(AUDIT_ACTION)))


def _audit_query(args: dict):
    return audit_log(_community_id(), args.get("actor"), args.get("action"), args.get("start"),
                     args.get("end"))


@bp.get("/admin/audit")
@staff_page(Role.ADMIN)
def admin_audit():
    args = forms.read(AuditQuerySchema(), request.args)
    rows, more = one_page(_audit_query(args), args["page"], AUDIT_PAGE, whole_rows=True)
    staff = db.session.execute(select(Staff.id, Staff.name, Staff.role).where(
        Staff.community_id == _community_id()).order_by(Staff.name, Staff.id)).all()
    return render_template("console/admin_audit.html", rows=rows, more=more,
                           args=args, staff=staff, actions=AUDIT_ACTION, objects=AUDIT_OBJECT)


@bp.get("/admin/audit/<int:event_id>")
@staff_page(Role.ADMIN)
def admin_audit_entry(event_id):
    event, actor = own_entry(_community_id(), event_id)
    return render_template("console/admin_audit_entry.html", e=event, actor=actor, actions=AUDIT_ACTION,
                           objects=AUDIT_OBJECT)


@bp.get("/admin/audit.xlsx")
@staff_page(Role.ADMIN)
def admin_audit_workbook():
    """The filtered log as a sheet, every entry (not one page); downloading it is itself an audited export."""
    args = forms.read(AuditQuerySchema(), request.args)
    rows = db.session.execute(_audit_query(args).execution_options(yield_per=1000))
    sheet = xlsx({"审计日志": [("时间（北京时间）", "操作人", "角色", "操作", "对象", "对象编号", "理由"), *(
        (local_time(e.at, with_year=True), actor.name if actor else ("居民（微信）" if e.actor_wechat_id else "系统"),
         ROLE.get(e.role, e.role), AUDIT_ACTION.get(e.action, e.action), AUDIT_OBJECT.get(e.object_type, e.object_type),
         e.object_id or "", e.reason or "") for e, actor in rows)]})
    record(signed_in(), "export", "audit_log")
    db.session.commit()
    return download(sheet, "xlsx", "audit-log")
