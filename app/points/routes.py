"""Points endpoints: rules, manual awards and reversals, one's own points, leaderboards (JSON, xlsx), rewards,
redeeming and handing over."""
from flask.views import MethodView
from sqlalchemy import select

from app.auth.principal import current_principal, login_required
from app.clock import china_today
from app.models import Grid, PointEntry, PointRule, Redemption, Reward, Role
from app.models.people import STAFF_ROLES
from app.points import rewards as catalogue
from app.points import services as ledger
from app.points.schemas import (
    EntrySchema,
    LeaderboardQuerySchema,
    LeaderboardSchema,
    ManualEntrySchema,
    MyPointsSchema,
    ReasonSchema,
    RedeemSchema,
    RedemptionQuerySchema,
    RedemptionSchema,
    RewardChangeSchema,
    RewardSchema,
    RuleChangeSchema,
    RuleSchema,
)
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.formats import answers_in, download
from app.web.pagination import page_of
from app.web.refusals import Forbidden, Refusal
from app.web.spreadsheets import xlsx

blp = Blueprint("points", __name__, url_prefix="/api", description="Points, rewards and leaderboards")
GIVERS = (Role.ADMIN, Role.GRID_HEAD)


@blp.route("/points/rules")
@login_required(*STAFF_ROLES)
@blp.response(200, RuleSchema(many=True))
def list_rules():
    """The community's rules: points for a fulfilled wish, an activity check-in, a fully registered house."""
    found = ledger.rules(current_principal().community_id)
    db.session.commit()   # a community's first look gives it the defaults
    return found


@blp.route("/points/rules/<int:rule_id>", methods=["PATCH"])
@login_required(Role.ADMIN)
@blp.arguments(RuleChangeSchema)
@blp.response(200, RuleSchema)
def change_rule(body, rule_id):
    """Change a rule's name or points, or retire it (active false): entries already made stay as they are."""
    rule = db.first_or_404(select(PointRule).where(
        PointRule.id == rule_id, PointRule.community_id == current_principal().community_id),
        description=f"Rule {rule_id} not found.")
    for key, value in body.items():
        setattr(rule, key, value)
    db.session.commit()
    return rule


@blp.route("/points/entries", methods=["POST"])
@login_required(*GIVERS)
@blp.arguments(ManualEntrySchema)
@blp.response(201, EntrySchema)
@blp.alt_response(409, description="A deduction larger than the balance")
def manual_entry(body):
    """Award (points > 0) or deduct (< 0) points by hand, with a reason (audited): a resident or household in the
    caller's place, or (the admin) a staff member of the community."""
    p = current_principal()
    entry = ledger.manual(p, ledger.holder_in_reach(p, body), body["points"], body["reason"])
    db.session.commit()
    return entry


@blp.route("/points/entries/<int:entry_id>/reverse", methods=["POST"])
@login_required(*GIVERS)
@blp.arguments(ReasonSchema)
@blp.response(201, EntrySchema)
@blp.alt_response(409, description="Reversed already, not an award or deduction, or the points are spent")
def reverse_entry(body, entry_id):
    """Correct an award or deduction with a reversing entry and a reason (audited); the entry itself stays."""
    p = current_principal()
    reversal = ledger.reverse(p, ledger.entry_in_reach(p, entry_id), body["reason"])
    db.session.commit()
    return reversal


@blp.route("/my/points")
@login_required()
@blp.response(200, MyPointsSchema)
def my_points():
    """The caller's balance (and a resident's household's) with the latest entries."""
    accounts = ledger.own_accounts(current_principal())
    entries = db.session.scalars(select(PointEntry).where(PointEntry.account_id.in_([a.id for a in accounts]))
                                 .order_by(PointEntry.id.desc()).limit(50)).all()
    db.session.commit()   # accounts opened on first look
    return {"accounts": accounts, "entries": entries}


@blp.route("/points/leaderboard")
@login_required()
@blp.arguments(LeaderboardQuerySchema, location="query")
@answers_in(blp, "json", "xlsx")
@blp.response(200, LeaderboardSchema)
def leaderboard_view(args, fmt):
    """Who earned the most points in a month or a year, in the community or one of its grids (names masked)."""
    community_id = current_principal().community_id
    period = args.get("period") or china_today().strftime("%Y-%m")
    grid_id = args.get("grid_id")
    if grid_id is not None and db.session.scalar(select(Grid.id).where(
            Grid.id == grid_id, Grid.community_id == community_id)) is None:
        raise Refusal(f"no grid {grid_id} in your community.", "grid_id")
    leaders = ledger.leaderboard(community_id, period, grid_id)
    if fmt == "xlsx":
        return download(xlsx({"积分排行 leaderboard": [
            [f"积分排行 {period}" + (f" 网格 {grid_id}" if grid_id else "")],
            ["名次 rank", "姓名 name", "类型 kind", "积分 points"],
            *([row["rank"], row["name"], row["kind"], row["points"]] for row in leaders)]}),
            fmt, f"leaderboard-{period}")
    return {"period": period, "grid_id": grid_id, "leaders": leaders}


@blp.route("/rewards")
class Rewards(MethodView):
    @login_required()
    @blp.response(200, RewardSchema(many=True))
    def get(self):
        """The community's rewards in stock order (withdrawn ones for the admin only)."""
        p = current_principal()
        query = select(Reward).where(Reward.community_id == p.community_id)
        if p.role is not Role.ADMIN:
            query = query.where(Reward.active.is_(True))
        return db.session.scalars(query.order_by(Reward.cost, Reward.id)).all()

    @login_required(Role.ADMIN)
    @blp.arguments(RewardSchema)
    @blp.response(201, RewardSchema)
    def post(self, body):
        """Add a reward to the catalogue, with its cost in points and its stock."""
        reward = Reward(community_id=current_principal().community_id, **body)
        db.session.add(reward)
        db.session.commit()
        return reward


@blp.route("/rewards/<int:reward_id>", methods=["PATCH"])
@login_required(Role.ADMIN)
@blp.arguments(RewardChangeSchema(partial=True))
@blp.response(200, RewardSchema)
def change_reward(body, reward_id):
    """Restock, reprice, rename or withdraw (active false) a reward."""
    reward = catalogue.reward_in_community(reward_id, current_principal().community_id, lock=True)
    for key, value in body.items():
        setattr(reward, key, value)
    db.session.commit()
    return reward


@blp.route("/rewards/<int:reward_id>/redeem", methods=["POST"])
@login_required()
@blp.arguments(RedeemSchema)
@blp.response(201, RedemptionSchema)
@blp.alt_response(409, description="Out of stock, withdrawn, or not enough points")
def redeem(body, reward_id):
    """Spend one's points (or, a household head, the household's) on a reward; staff then hand it over."""
    p = current_principal()
    mine, *household = ledger.own_accounts(p)
    if body["account"] == "household":
        if not household or not p.resident.is_head:
            raise Forbidden("Only the household's head spends the household's points.")
        mine = household[0]
    redemption = catalogue.redeem(reward_id, mine)
    db.session.commit()
    return redemption


@blp.route("/redemptions")
@login_required(*GIVERS)
@blp.arguments(RedemptionQuerySchema, location="query")
@blp.response(200, RedemptionSchema(many=True))
@blp.paginate()
def redemptions(args, pagination_parameters):
    """Redemptions in the caller's place, oldest first: those waiting to be handed over by default."""
    query = select(Redemption).where(catalogue.redemptions_scope(current_principal()))
    if args["waiting"]:
        query = query.where(Redemption.handed_over_at.is_(None))
    return page_of(query, pagination_parameters, Redemption.created_at, Redemption.id)


@blp.route("/redemptions/<int:redemption_id>/handed-over", methods=["POST"])
@login_required(*GIVERS)
@blp.response(200, RedemptionSchema)
@blp.alt_response(409, description="Handed over already")
def handed_over(redemption_id):
    """Mark a redemption handed over to its holder."""
    found = catalogue.hand_over(current_principal(), redemption_id)
    db.session.commit()
    return found


