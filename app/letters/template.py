"""A community's letter text and kind of printed code: reading and saving them (the admin's, from the API and the
console alike), and one sample letter of the community drawn with a text not yet saved, to preview it."""
from dataclasses import replace

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.codes.wxacodes import code_kind, set_code_kind
from app.letters.content import NOBODY, letter_data, officer_for_grid
from app.models import Community, Grid, Household, QrCode
from app.models.codes import CodeKind
from app.notifications.wechat_gateway import wechat_configured
from app.web.extensions import db
from app.web.refusals import Refusal
from qr.letter import LetterData, render_letter_png
from qr.template import DEFAULT_LETTER_TEMPLATE, PLACEHOLDERS, TemplateError, check_template
from qr.tokens import scan_url

PREVIEW_DPI = 72   # a screen's preview: about 70 KB, drawn in 50 ms


def letter_text(community: Community) -> dict:
    return {"template": community.letter_template or DEFAULT_LETTER_TEMPLATE, "placeholders": list(PLACEHOLDERS),
            "is_default": community.letter_template is None, "code_kind": code_kind(community.id).value}


def checked_text(template: str) -> str:
    """The text as typed, or a Refusal naming `template` that says what is wrong with it."""
    try:
        check_template(template)
    except TemplateError as exc:
        raise Refusal(str(exc), "template", zh=exc.zh) from None
    return template


def save_letter_text(community: Community, template: str, kind: str | None = None) -> dict:
    """Replace the letter text; with `kind`, choose the code printed on letters and cards (a mini-program code only
    where this server has WeChat's credentials). The caller commits."""
    community.letter_template = checked_text(template)
    if kind == CodeKind.WXACODE.value and not wechat_configured():
        raise Refusal("mini-program codes need WeChat, which this server is not configured for.", "code_kind",
                      zh="本服务器未配置微信，不能打印小程序码。")
    if kind is not None:
        set_code_kind(community.id, CodeKind(kind))
    return letter_text(community)


def sample_letter(community: Community, template: str) -> LetterData:
    """The community's first house's letter with `template`, its live code's link if it has one (a preview issues
    no code); a made-up house where the community has none yet."""
    house = db.session.scalar(select(Household).where(Household.community_id == community.id)
                              .order_by(Household.code).limit(1)
                              .options(joinedload(Household.grid).joinedload(Grid.head)))
    if house is None:
        return LetterData(community=community.name, grid="第1网格", house_code=f"{community.code}-01-01-101",
                          address="1号楼101室", grid_head=NOBODY, grid_head_phone="", police=NOBODY, police_phone="",
                          qr_url=scan_url(current_app.config["PUBLIC_BASE_URL"], "preview"), template=template)
    token = db.session.scalar(select(QrCode.token).where(QrCode.household_id == house.id,
                                                         QrCode.revoked_at.is_(None)))
    return replace(letter_data(house, token or "preview", officer_for_grid(house.grid), None), template=template)


def preview_png(community: Community, template: str) -> bytes:
    """A PNG of the sample letter with `template` (refused as saving would refuse it), drawn as letters are."""
    return render_letter_png(sample_letter(community, checked_text(template)), "A4", dpi=PREVIEW_DPI)
