"""The community's figures as an .xlsx workbook for the admin: one row per grid and a total, then categories."""
import io

from openpyxl import Workbook

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


def figures_workbook(figures: dict) -> bytes:
    book = Workbook(write_only=True)
    grids = book.create_sheet("网格 grids")
    period = f"{figures['from'] or '…'} – {figures['to'] or '…'}"
    grids.append([f"{figures['community']['name']} {period}"])
    grids.append(["网格 grid"] + [header for header, _ in COLUMNS])
    for grid in figures["grids"]:
        grids.append([grid["name"]] + [read(grid) for _, read in COLUMNS])
    grids.append(["合计 total"] + [read(figures) for _, read in COLUMNS])
    categories = book.create_sheet("类别 categories")
    categories.append(["代码 code", "类别 category", "诉求数 requests"])
    for row in figures["by_category"]:
        categories.append([row["code"], row["name"], row["count"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
