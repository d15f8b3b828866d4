"""Line breaking for mixed Chinese/Latin text by measured width."""

import re
from collections.abc import Callable, Iterator

# A Chinese line may break between any two characters, except that closing
# punctuation never starts a line and opening punctuation never ends one.
# Runs of Latin letters/digits (phones, house codes, URLs) stay whole.
_NO_LINE_START = set("，。、；：！？）】」』》〉”’…,.;:!?)]%")
_NO_LINE_END = set("（【「『《〈“‘([")
Measure = Callable[[str], float]
_UNITS = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-_./@:#%+=&?]*| +|.", re.S)


def wrap_text(text: str, width: float, measure: Measure) -> list[str]:
    """Lines of `text` no wider than `width`; newlines force breaks, closing punctuation may hang."""
    lines: list[str] = []
    for hard_line in text.split("\n"):
        lines.extend(_wrap_line(hard_line, width, measure))
    return lines


def _wrap_line(text: str, width: float, measure: Measure) -> list[str]:
    lines, line, used = [], "", 0.0
    for unit, unit_width in _measured_units(text, width, measure):
        if used + unit_width <= width or not line or unit[0] in _NO_LINE_START:
            line, used = line + unit, used + unit_width
            continue
        if unit.isspace():
            lines.append(line)
            line, used = "", 0.0
            continue
        carried = ""
        while line and line[-1] in _NO_LINE_END:
            line, carried = line[:-1], line[-1] + carried
        lines.append(line.rstrip(" "))
        line = carried + unit
        used = measure(line)
    lines.append(line.rstrip(" "))
    return lines


def _measured_units(text: str, width: float, measure: Measure) -> Iterator[tuple[str, float]]:
    for unit in _UNITS.findall(text):
        unit_width = measure(unit)
        if unit_width <= width or len(unit) == 1:
            yield unit, unit_width
        else:  # a run wider than the line (a long URL) has to break somewhere
            yield from ((ch, measure(ch)) for ch in unit)
