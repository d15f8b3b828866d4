"""Recording who touched people's data; rows are only ever added, in the caller's transaction."""
from app.auth.principal import Principal
from app.models import AuditEvent
from app.web.extensions import db

SYSTEM = Principal(role=None)   # a `flask` command an operator ran on a server: no account behind it


def record(principal: Principal, action: str, object_type: str, object_id=None, reason=None) -> None:
    db.session.add(AuditEvent(
        actor_staff_id=principal.staff.id if principal.staff else None,
        actor_wechat_id=principal.wechat.id if principal.wechat else None,
        role=principal.role.value if principal.role else None,
        action=action, object_type=object_type,
        object_id=None if object_id is None else str(object_id), reason=reason,
    ))
