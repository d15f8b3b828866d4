"""The console's Chinese words for the app's codes, and times as people in China read them."""
from datetime import datetime

from app.clock import CHINA, to_utc

STATUS = {"open": "待受理", "accepted": "办理中", "resolved": "已办结", "closed": "已关闭"}
ROLE = {"admin": "社区管理员", "grid_head": "网格长", "unit_leader": "楼栋长", "joint_head": "十联户长",
        "police": "社区民警", "resident": "居民", "registrant": "登记人", None: "系统"}
ACTION = {"file": "提交诉求", "accept": "受理", "transfer": "转办", "note": "进展", "resolve": "办结",
          "rate": "评价", "reopen": "重新打开", "mediate": "调解登记", "escalate": "超时升级"}
MEDIATION = {"peoples": "人民调解", "judicial": "司法调解", "pre_complaint": "诉前调解", "industry": "行业调解"}
OUTCOME = {"resolved": "已化解", "not_resolved": "未化解", "referred": "已移交"}
CONTACT = {"pending": "待联系", "contacted": "已联系", "handled": "已处理"}


def local_time(moment: datetime | None, with_year: bool = False) -> str:
    if moment is None:
        return ""
    return to_utc(moment).astimezone(CHINA).strftime("%Y-%m-%d %H:%M" if with_year else "%m-%d %H:%M")
