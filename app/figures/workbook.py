"""Figures as an .xlsx workbook: a row per grid (and the community's total), then the categories."""
from app.clock import china_today
from app.web.spreadsheets import xlsx

# (header, how to read it from a summary)
COLUMNS = [
    ("诉求数 requests", lambda s: s["requests"]),
    ("待受理 open", lambda s: s["by_status"]["open"]),
    ("办理中 accepted", lambda s: s["by_status"]["accepted"]),
    ("已办结 resolved", lambda s: s["by_status"]["resolved"]),
    ("已关闭 closed", lambda s: s["by_status"]["closed"]),
    ("平均受理小时 avg hours to accept", lambda s: s["avg_hours_to_accept"]),
    ("平均办结小时 avg hours to resolve", lambda s: s["avg_hours_to_resolve"]),
    ("按时办结率 on-time rate", lambda s: s["on_time_rate"]),
    ("满意度 mean rating", lambda s: s["satisfaction"]["mean"]),
    ("评价数 ratings", lambda s: s["satisfaction"]["count"]),
    ("纠纷 disputes", lambda s: s["disputes"]["count"]),
    ("化解 resolved disputes", lambda s: s["disputes"]["resolved"]),
    ("化解率 dispute resolution rate", lambda s: s["disputes"]["rate"]),
    ("户数 households", lambda s: s["registration"]["households"]),
    ("已登记户 registered", lambda s: s["registration"]["registered"]),
    ("登记覆盖率 coverage", lambda s: s["registration"]["coverage"]),
]


def period_words(start: str | None, end: str | None) -> str:
    """The filed-date range as a reader says it; a range open at the end runs to today (China time)."""
    if start and end:
        return f"{start} 至 {end}"
    if end:
        return f"截至 {end}"
    today = china_today().isoformat()
    return f"{start} 起（截至 {today}）" if start else f"全部时间（截至 {today}）"


def figures_workbook(figures: dict) -> bytes:
    """The workbook of a community's figures (a row per grid, then the total) or of one grid's (one row)."""
    place = figures.get("community") or figures["grid"]
    if "grids" in figures:
        rows = [(grid["name"], grid) for grid in figures["grids"]] + [("合计 total", figures)]
    else:
        rows = [(place["name"], figures)]
    return xlsx({
        "网格 grids": [
            [f"{place['name']} {period_words(figures['from'], figures['to'])}"],
            ["网格 grid"] + [header for header, _ in COLUMNS],
            *([name] + [read(summary) for _, read in COLUMNS] for name, summary in rows),
        ],
        "类别 categories": [
            ["代码 code", "类别 category", "诉求数 requests"],
            *([row["code"], row["name"], row["count"]] for row in figures["by_category"]),
        ],
    })
