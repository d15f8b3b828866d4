"""Which subscribe-message template carries each kind of notification, and what goes in each of its fields: read from
the settings and checked when the app starts, so a field that cannot hold what the app puts there stops the start,
named, instead of every message failing with WeChat's 47003."""
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Flask, current_app

from app.clock import CHINA, to_utc
from app.models import Notification
from wechat.message_fields import MOMENT_KINDS, TEXT_LIMITS, kind_of, moment_value, text_value

# The template id config.py ships with: an example, no template of any real mini-program.
EXAMPLE_TEMPLATE_ID = "jiashu-notice"
# What the app can put in a field, and the kinds of field that can hold it.
SOURCES = {"title": frozenset(TEXT_LIMITS), "body": frozenset(TEXT_LIMITS), "time": MOMENT_KINDS}


@dataclass(frozen=True)
class Template:
    template_id: str
    fields: Mapping[str, str]   # keyword (thing1) -> what the app puts there (title)


def parse_fields(setting: str, name: str) -> dict[str, str]:
    """'thing1:title,time3:time' → {keyword: source}, each keyword's kind able to hold its source; a ValueError
    names the setting and the field."""
    fields = {}
    for entry in filter(None, (part.strip() for part in setting.split(","))):
        keyword, _, source = (part.strip() for part in entry.partition(":"))
        try:
            kind = kind_of(keyword)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}.") from None
        if source not in SOURCES:
            raise ValueError(f"{name}: {keyword} takes one of {', '.join(SOURCES)}, not {source!r}.")
        if kind not in SOURCES[source]:
            raise ValueError(f"{name}: {keyword} is a {kind} field, which cannot hold the {source} "
                             f"(that takes a {' or '.join(sorted(SOURCES[source]))} field).")
        fields[keyword] = source
    if not fields:
        raise ValueError(f"{name}: name the template's fields, e.g. thing1:title,thing2:body,time3:time.")
    return fields


def init_app(app: Flask) -> None:
    """Check every configured template once, at start-up; refuse the example template id in production."""
    config = app.config
    templates = {None: Template(config["WECHAT_TEMPLATE_ID"],
                                parse_fields(config["WECHAT_TEMPLATE_FIELDS"], "WECHAT_TEMPLATE_FIELDS"))}
    for kind, entry in config["WECHAT_TEMPLATES"].items():
        name = f"WECHAT_TEMPLATES[{kind!r}]"
        if not isinstance(entry, Mapping) or not entry.get("template_id") or not isinstance(entry.get("fields"), str):
            raise ValueError(f"{name}: give {{'template_id': ..., 'fields': 'thing1:title,...'}}, not {entry!r}.")
        templates[kind] = Template(entry["template_id"], parse_fields(entry["fields"], name))
    # A fake WeChat run in production mode on purpose (the benchmarks) knows the example template alone.
    if config["ENV_NAME"] == "production" and config["WECHAT_APPID"] and not config["WECHAT_FAKE_IN_PRODUCTION"] \
            and any(t.template_id == EXAMPLE_TEMPLATE_ID for t in templates.values()):
        raise RuntimeError(f"Refusing to start in production with the example WECHAT_TEMPLATE_ID "
                           f"({EXAMPLE_TEMPLATE_ID}): set the id of the mini-program's own subscribe template.")
    app.extensions["jiashu.templates"] = templates


def template_for(kind: str) -> Template:
    templates = current_app.extensions["jiashu.templates"]
    return templates.get(kind) or templates[None]


def message_data(template: Template, note: Notification) -> dict[str, str]:
    """The template's fields filled from `note`, each value in the shape its kind takes."""
    data = {}
    for keyword, source in template.fields.items():
        kind = kind_of(keyword)
        if source == "time":
            data[keyword] = moment_value(kind, to_utc(note.created_at).astimezone(CHINA))
        else:
            data[keyword] = text_value(kind, note.title if source == "title" else note.body)
    return data
