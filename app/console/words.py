"""The console's Chinese words for the app's codes, refusals as a person reads them, and times as people in China
read them."""
import re
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
RESPONDER = {None: "网格长", "unit_leader": "楼栋长", "joint_head": "十联户长"}
CODE_KIND = {"link": "链接二维码", "wxacode": "小程序码"}
# What the audit trail records (app/privacy/audit.py's callers), and what it was done to.
AUDIT_ACTION = {"reveal": "查看完整信息", "export": "导出", "register": "登记", "delete": "删除成员",
                "approve_move": "同意迁移", "refuse_move": "拒绝迁移", "invite": "生成绑定码",
                "points_award": "积分奖励", "points_deduct": "积分扣减", "points_reverse": "积分冲正",
                "reencrypt": "重新加密", "reprint": "重印二维码", "issue_key": "生成接口密钥",
                "revoke_key": "吊销接口密钥"}
AUDIT_OBJECT = {"resident": "居民", "household": "家庭", "service_request": "诉求来电人", "house_sheet": "房屋表",
                "grid_returning": "返乡人员表", "staff": "工作人员", "point_entry": "积分记录",
                "audit_log": "审计日志", "id_encryption_key": "加密密钥", "open311_key": "Open311 接口密钥",
                "activity": "活动"}

# A refusal whose message is not Chinese (the API's English), as the console says it: by status, naming the field.
REFUSED = {400: "请求无效，请刷新页面后重试。", 401: "请先登录。", 403: "您无权进行此操作。",
           404: "未找到，或不在您的管辖范围内。", 405: "不支持此操作。",
           409: "当前状态不允许此操作，请刷新页面查看最新状态。", 410: "已失效。",
           413: "上传的文件太大。", 422: "填写有误，请检查后重试。",
           429: "操作太频繁，请稍后再试。", 503: "服务暂时不可用，请稍后再试。"}
FIELD = {"name": "名称", "code": "代码", "deadline_hours": "办理时限", "first_responder": "首先响应", "label": "名称",
         "description": "说明", "template": "家书文字", "code_kind": "打印的码", "note": "说明", "reason": "理由",
         "to_staff_id": "转办对象", "rating": "评分", "kind": "调解方式", "outcome": "调解结果", "mediator": "调解员",
         "status": "状态", "username": "用户名", "password": "密码", "phone": "手机号", "role": "角色",
         "grid_ids": "负责网格", "file": "文件", "from": "起始日期", "to": "截止日期", "actor": "操作人",
         "action": "操作", "page": "页码", "category": "类别", "grid": "网格"}
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def refusal_text(status: int, message: str, zh: str | None = None, field: str | None = None) -> str:
    """What the console shows for a refusal: its Chinese words (`zh`, or a message already Chinese), else a
    sentence for its status that names the field at fault when there is one."""
    if zh or _CHINESE.search(message or ""):
        return zh or message
    if field in FIELD and status == 422:
        return f"“{FIELD[field]}”填写有误，请检查后重试。"
    return REFUSED.get(status, "无法完成此操作。")


def local_time(moment: datetime | None, with_year: bool = False) -> str:
    if moment is None:
        return ""
    return to_utc(moment).astimezone(CHINA).strftime("%Y-%m-%d %H:%M" if with_year else "%m-%d %H:%M")
