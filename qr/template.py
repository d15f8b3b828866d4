"""The admin-editable family-letter text: placeholders, validation and filling."""

import re
import string

PLACEHOLDERS = (
    "community", "grid", "house_code", "address",
    "grid_head", "grid_head_phone", "police", "police_phone",
)
# The letter page has room for this much text at its smallest body font size.
MAX_TEMPLATE_CHARS = 600

DEFAULT_LETTER_TEMPLATE = """尊敬的居民朋友：

　　您好！{community}推行“一户一码”，为每户张贴一封家书，您家的房屋编号是 {house_code}。

　　请用微信扫描下方二维码，登记家庭成员。信息仅用于社区服务和紧急联络，我们会严格保密。

　　家中有老人、孩子需要照顾，或遇到困难，请联系{grid}的网格长{grid_head}（{grid_head_phone}）或社区民警{police}（{police_phone}）。紧急情况请拨打 110。

　　祝您家庭幸福，平安健康！

{community}居民委员会"""

_ALLOWED = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
# A placeholder alone in brackets, as in 网格长{grid_head}（{grid_head_phone}）: with no value, no empty brackets.
_BRACKETED = re.compile(r"[（(]\{(\w+)\}[）)]")


class TemplateError(ValueError):
    """Message names the offending placeholder; `.placeholder` holds it ("" for a brace error); `.zh` says the
    same in Chinese, for the admin who typed it."""

    def __init__(self, message: str, zh: str, placeholder: str = ""):
        super().__init__(message)
        self.zh, self.placeholder = zh, placeholder


def check_template(text: str) -> None:
    if not text.strip():
        raise TemplateError("letter template is empty", "家书文字不能为空。")
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"letter template has {len(text)} characters, at most {MAX_TEMPLATE_CHARS} fit on the page",
                            f"家书文字有 {len(text)} 个字符，一页最多容纳 {MAX_TEMPLATE_CHARS} 个。")
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise TemplateError(f"malformed brace in letter template ({exc}); write {{{{ or }}}} for a literal brace",
                            "家书文字中的花括号不成对；要印出花括号本身，请写 {{ 或 }}。") from exc
    for name, spec, conv in fields:
        shown = "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
        if name not in PLACEHOLDERS:
            raise TemplateError(f"unknown placeholder {shown} in letter template; allowed: {_ALLOWED}",
                                f"家书文字中没有 {shown} 这一项；可用：{_ALLOWED}", name)
        if spec or conv:
            raise TemplateError(f"placeholder {shown} must be written plainly as {{{name}}}",
                                f"{shown} 请直接写作 {{{name}}}。", name)


def fill_template(text: str, fields: dict[str, object]) -> str:
    """Raises TemplateError for a bad template, KeyError if `fields` lacks a placeholder it uses.

    A placeholder alone in brackets whose value is empty is left out with its brackets."""
    check_template(text)
    values = {name: str(fields[name]) for name in PLACEHOLDERS if name in fields}
    text = _BRACKETED.sub(lambda m: m[0] if values.get(m[1], m[0]).strip() else "", text)
    return text.format_map(values)
