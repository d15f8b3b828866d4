import pytest

from qr.template import (
    DEFAULT_LETTER_TEMPLATE,
    MAX_TEMPLATE_CHARS,
    PLACEHOLDERS,
    TemplateError,
    check_template,
    fill_template,
)

FIELDS = {
    "community": "胜泉社区", "grid": "第三网格", "house_code": "SQ-01-03-0402", "address": "幸福路188号",
    "grid_head": "王丽", "grid_head_phone": "13800138000", "police": "李强", "police_phone": "13900139000",
}


def test_default_template_is_a_valid_letter_that_fills_completely():
    check_template(DEFAULT_LETTER_TEMPLATE)
    text = fill_template(DEFAULT_LETTER_TEMPLATE, FIELDS)
    assert "{" not in text and "}" not in text
    for value in ("胜泉社区", "SQ-01-03-0402", "王丽", "13800138000", "李强", "13900139000"):
        assert value in text
    assert "\n\n" in text  # paragraphs


@pytest.mark.parametrize("text, placeholder", [
    ("请联系{grid_leader}", "grid_leader"),
    ("您好，{Community}", "Community"),
    ("{police.name}", "police.name"),
    ("{0}", "0"),
])
def test_unknown_placeholder_is_named_in_the_error(text, placeholder):
    with pytest.raises(TemplateError) as err:
        check_template(text)
    assert err.value.placeholder == placeholder
    assert "{" + placeholder + "}" in str(err.value)


def test_format_spec_on_a_known_placeholder_is_refused_and_named():
    with pytest.raises(TemplateError) as err:
        check_template("民警 {police:>10}")
    assert err.value.placeholder == "police"
    assert "{police:>10}" in str(err.value)


@pytest.mark.parametrize("text", ["您好 {community", "您好 community}", "{"])
def test_malformed_braces_are_reported_as_such(text):
    with pytest.raises(TemplateError, match="malformed brace"):
        check_template(text)


def test_doubled_braces_print_literally():
    assert fill_template("{{注意}} {grid}", FIELDS) == "{注意} 第三网格"


def test_braces_inside_field_values_are_not_interpreted():
    assert fill_template("民警：{police}", {**FIELDS, "police": "{community}"}) == "民警：{community}"


def test_empty_or_overlong_templates_are_refused():
    with pytest.raises(TemplateError):
        check_template("  \n ")
    with pytest.raises(TemplateError, match=str(MAX_TEMPLATE_CHARS)):
        check_template("家" * (MAX_TEMPLATE_CHARS + 1))


def test_every_documented_placeholder_is_accepted():
    check_template("".join("{" + name + "}" for name in PLACEHOLDERS))


def test_an_empty_value_in_brackets_leaves_no_empty_brackets():
    text = fill_template(DEFAULT_LETTER_TEMPLATE, {**FIELDS, "grid_head": "（待定）", "grid_head_phone": ""})
    assert "网格长（待定）或社区民警李强（13900139000）" in text
    assert fill_template("民警{police}({police_phone})。", {**FIELDS, "police_phone": " "}) == "民警李强。"
    assert fill_template("（{grid}）", FIELDS) == "（第三网格）"
    assert fill_template("（{{grid}}）", {**FIELDS, "grid": ""}) == "（{grid}）"   # a literal stays
