"""WeChat's rules for the values of a subscribe message's fields: a template's keyword names its kind (`thing1` is a
thing, `time3` a time), and each kind takes values of its own shape, else subscribeMessage.send answers 47003."""
import re
from datetime import datetime, timedelta

_KEYWORD = re.compile(r"([a-z]+(?:_[a-z]+)*)(\d+)")
# Every kind WeChat's documentation lists for subscribe-message keywords.
KINDS = frozenset({"thing", "number", "letter", "symbol", "character_string", "time", "date", "amount",
                   "phone_number", "car_number", "name", "phrase"})
# The kinds of free text, with the most characters each takes (a phrase: Chinese characters only).
TEXT_LIMITS = {"thing": 20, "phrase": 5}
MOMENT_KINDS = frozenset({"time", "date"})
# What a text field says when there is nothing to say: WeChat refuses an empty one.
NOTHING = "无"
CHINA_OFFSET = timedelta(hours=8)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def kind_of(keyword: str) -> str:
    """The kind a template's keyword declares ("thing" for thing1); ValueError for a name that declares none."""
    match = _KEYWORD.fullmatch(keyword)
    if match is None or match.group(1) not in KINDS:
        raise ValueError(f"{keyword!r} is not a subscribe-message keyword (a kind such as thing, time or phrase, "
                         "then its number: thing1)")
    return match.group(1)


def text_value(kind: str, text: str) -> str:
    """`text` as a thing (≤ 20 characters, on one line, cut with "…") or a phrase (≤ 5 Chinese characters);
    never empty."""
    limit = TEXT_LIMITS[kind]
    if kind == "phrase":
        return "".join(_HAN.findall(text))[:limit] or NOTHING
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[:limit - 1].rstrip() + "…"
    return line or NOTHING


def moment_value(kind: str, moment: datetime) -> str:
    """`moment` (in China time: WeChat shows it as given, to people in China) as WeChat documents a time
    ("2026年12月7日 15:01") or a date ("2026年12月7日")."""
    if moment.utcoffset() != CHINA_OFFSET:
        raise ValueError(f"a subscribe message's {kind} is shown as given: convert it to China time first")
    day = f"{moment.year}年{moment.month}月{moment.day}日"
    return day if kind == "date" else f"{day} {moment:%H:%M}"
