"""Who may call what: one entry per endpoint and method of the URL map, read by test_authorization_matrix.

An entry's path names the objects it touches by placeholder ({household}, {grid}, {member}, {request} ...);
stage.places() fills them per role from its own place ("own") or another's ("other"): another household,
grid, officer or inbox in the same community, another community for an admin. A signed-in endpoint answers

    no token → 401;  a role outside `roles` → 403;  a role in `roles` → 2xx on its own object, 404 on another's;
    a role in `blind` → 404 (the role gate lets it through, but its place never holds such an object);
    a role in `late` → 403 on its own object, 404 on another's (the rules refuse it once the object is found).

A registrant (registered at a door, confirmed by nobody yet) is no resident: only what names REGISTRANT is theirs.

A public endpoint answers the same to everyone, called without a bearer token: `public` gives the status per
case ("own" and "other" as above, "no_key" the own objects without the Open311 API key).

A console page (`page(...)`) is called by a browser signed in to the console (a session cookie and its CSRF token,
not a bearer token): by each staff role, and by one signed out, which is sent to the sign-in page (a redirect, in
place of the 401); success may be a redirect elsewhere (post/redirect/get). WeChat users have no console sign-in.
"""
from dataclasses import dataclass, field

from qr.template import DEFAULT_LETTER_TEMPLATE
from tests.security import bodies
from tests.security.stage import (
    ADMIN,
    GRID_HEAD,
    JOINT_HEAD,
    POLICE,
    REGISTRANT,
    RESIDENT,
    UNIT_LEADER,
    UNLINKED,
)

STAFF = frozenset({ADMIN, GRID_HEAD, UNIT_LEADER, JOINT_HEAD, POLICE})
SIGNED_IN = STAFF | {RESIDENT}
EVERYONE = SIGNED_IN | {REGISTRANT, UNLINKED}
WECHAT = frozenset({RESIDENT, REGISTRANT, UNLINKED})   # what needs a WeChat sign-in, not a staff password
MEMBERS = frozenset({RESIDENT, REGISTRANT})   # a household's own view: a registrant's of their registration
PRINTERS = frozenset({ADMIN, GRID_HEAD})
GRID_READERS = frozenset({ADMIN, GRID_HEAD, POLICE})
HANDLERS = frozenset({GRID_HEAD, UNIT_LEADER, JOINT_HEAD})
ONLY_ADMIN = frozenset({ADMIN})


@dataclass(frozen=True)
class Entry:
    path: str
    roles: frozenset = frozenset()
    body: object = None               # test-client kwargs, or a function of the bodies.Call returning them
    blind: frozenset = frozenset()
    late: frozenset = frozenset()
    public: dict = field(default=None)
    session: bool = False             # a console page: a session sign-in, not a bearer token

    @property
    def names_an_object(self) -> bool:
        return "{" in self.path


def public(path, body=None, **statuses) -> Entry:
    return Entry(path, body=body, public=statuses)


def page(path, roles, body=None, **options) -> Entry:
    return Entry(path, roles, body, session=True, **options)


def as_json(body) -> dict:
    return {"json": body}


# Police hold no service requests (they are never routed one, nor may be handed one): they see none.
REQUEST_READERS = dict(roles=SIGNED_IN - {POLICE}, blind=frozenset({POLICE}))

TABLE = {
    # The admin's tools
    "admin.export_sheet GET": Entry("/api/admin/houses/export", ONLY_ADMIN),
    "admin.import_sheet POST": Entry("/api/admin/houses/import?dry_run=true", ONLY_ADMIN, bodies.house_sheet),
    "admin.sheet_template GET": Entry("/api/admin/houses/template", ONLY_ADMIN),
    "admin.StaffAccounts GET": Entry("/api/admin/staff", ONLY_ADMIN),
    "admin.StaffAccounts POST": Entry("/api/admin/staff", ONLY_ADMIN, as_json(
        {"username": "new.leader", "password": "password-123", "role": "unit_leader", "name": "新楼长"})),
    "staff_invites.StaffInvite POST": Entry("/api/admin/staff/{staff}/invite", ONLY_ADMIN),
    "open311_keys.Keys GET": Entry("/api/open311/keys", ONLY_ADMIN),
    "open311_keys.Keys POST": Entry("/api/open311/keys", ONLY_ADMIN, as_json({"label": "市民热线"})),
    "open311_keys.revoke DELETE": Entry("/api/open311/keys/{key}", ONLY_ADMIN),
    "categories.Categories GET": Entry("/api/categories", SIGNED_IN),
    "categories.Categories POST": Entry("/api/categories", ONLY_ADMIN, as_json(
        {"code": "parking", "name": "停车", "deadline_hours": 24})),
    "categories.CategoryById PATCH": Entry("/api/categories/{category}", ONLY_ADMIN, as_json({"name": "其他事项"})),
    "categories.CategoryById DELETE": Entry("/api/categories/{category}", ONLY_ADMIN),
    "figures.community GET": Entry("/api/figures/community", ONLY_ADMIN),
    # Signing in
    "auth.login POST": public("/api/auth/login", bodies.staff_login, own=200, other=401),
    "auth.logout POST": Entry("/api/auth/logout", EVERYONE),
    "auth.Me GET": Entry("/api/auth/me", EVERYONE),
    "wechat_auth.wechat_login POST": public("/api/auth/wechat", bodies.wechat_code, own=200, other=401),
    "wechat_auth.bind_staff POST": Entry("/api/auth/wechat/bind", WECHAT, bodies.invite),
    "wechat_auth.wechat_phone POST": Entry("/api/auth/wechat/phone", WECHAT, bodies.phone_code),
    "wechat_auth.wechat_profile POST": Entry("/api/auth/wechat/profile", WECHAT, bodies.user_data),
    "inbox.Inbox GET": Entry("/api/inbox", EVERYONE),
    "inbox.mark_read POST": Entry("/api/inbox/{notification}/read", EVERYONE),
    # Places (a resident's place is its household: no grid is ever theirs)
    "places.Grids GET": Entry("/api/grids", SIGNED_IN),
    "places.GridById GET": Entry("/api/grids/{grid}", STAFF, blind=frozenset({RESIDENT})),
    "figures.grid GET": Entry("/api/figures/grids/{grid}", STAFF, blind=frozenset({RESIDENT})),
    "places.Households GET": Entry("/api/households", SIGNED_IN),
    "places.HouseholdById GET": Entry("/api/households/{household}", SIGNED_IN),
    "registers.household_members GET": Entry("/api/households/{household}/members", STAFF),
    "registers.coverage GET": Entry("/api/grids/{grid}/coverage", GRID_READERS),
    "registers.pending GET": Entry("/api/grids/{grid}/pending", GRID_READERS),
    "registers.returning GET": Entry("/api/grids/{grid}/returning", GRID_READERS),
    # Letters, codes and cards
    "letters.household_letter GET": Entry("/api/households/{household}/letter", SIGNED_IN),
    "letters.HouseCode GET": Entry("/api/households/{household}/code", PRINTERS),
    "letters.HouseCode POST": Entry("/api/households/{household}/code", PRINTERS),
    "letters.household_wxacode GET": Entry("/api/households/{household}/wxacode", PRINTERS),
    "letters.grid_letters GET": Entry("/api/grids/{grid}/letters", PRINTERS),
    "letters.community_letters GET": Entry("/api/community/letters", ONLY_ADMIN),
    "letters.LetterTemplate GET": Entry("/api/community/letter-template", ONLY_ADMIN),
    "letters.LetterTemplate PUT": Entry("/api/community/letter-template", ONLY_ADMIN,
                                        as_json({"template": DEFAULT_LETTER_TEMPLATE})),
    "letters.officer_card GET": Entry("/api/police/{officer}/card", frozenset({POLICE, ADMIN})),
    "letters.reprint_card POST": Entry("/api/police/{officer}/card/code", frozenset({POLICE, ADMIN})),
    "police.card_code GET": Entry("/api/police/{officer}/card/code", frozenset({POLICE, ADMIN})),
    # Scanning a door's letter, registering, the household's own view
    "residents.privacy_notice_text GET": public("/api/privacy-notice", own=200),
    "residents.scan GET": public("/api/scan/{house_token}", own=200, other=404),
    "scan_pages.house_page GET": public("/s/{house_token}", own=200, other=404),
    "scan_pages.card_page GET": public("/c/{card_token}", own=200, other=404),
    "scan_pages.card_contact GET": public("/c/{card_token}/contact.vcf", own=200, other=404),
    "scan_pages.activity_page GET": public("/a/{activity_token}", own=200, other=200),   # any community's poster
    # WeChat's check files (also at /c/ and at the root): none is configured here, tests/codes serves them.
    "scan_pages.check_file GET": public("/s/Xq81hTzW0c.txt", own=404),
    "letters.scanned GET": public("/api/scan?scene={house_token}", own=200, other=404),
    "residents.register POST": Entry("/api/scan/{house_token}/members", WECHAT, bodies.registration),
    "residents.my_household GET": Entry("/api/my/household", MEMBERS),
    "residents.export_my_household GET": Entry("/api/my/household/export", frozenset({RESIDENT})),
    "residents.MemberById PATCH": Entry("/api/members/{member}", MEMBERS, as_json({"name": "李思"})),
    "residents.MemberById DELETE": Entry("/api/members/{member}", MEMBERS),
    "residents.confirm POST": Entry("/api/members/{pending}/confirm", frozenset({RESIDENT, GRID_HEAD})),
    "residents.reject POST": Entry("/api/members/{pending}/reject", frozenset({RESIDENT, GRID_HEAD})),
    "residents.reveal POST": Entry("/api/members/{member}/reveal", GRID_READERS, as_json({"reason": "核实户籍信息"})),
    # A move is decided on the person's side: the person, the head of the household they leave, its grid head.
    "residents.moves GET": Entry("/api/moves", MEMBERS | {GRID_HEAD}),
    "residents.approve POST": Entry("/api/moves/{move}/approve", MEMBERS | {GRID_HEAD}),
    "residents.refuse POST": Entry("/api/moves/{move}/refuse", MEMBERS | {GRID_HEAD}),
    # The police officer's card and queue
    "cards.card GET": public("/api/cards/{card_token}", own=200, other=404),
    "cards.contact POST": Entry("/api/cards/{card_token}/contact-requests", WECHAT,
                                as_json({"message": "请民警联系我", "phone": "13800138000"})),
    "police.queue GET": Entry("/api/police/contact-requests", frozenset({POLICE})),
    "police.my_contact_requests GET": Entry("/api/my/contact-requests", WECHAT),
    "police.mark PATCH": Entry("/api/police/contact-requests/{contact}", frozenset({POLICE}),
                               as_json({"status": "contacted"})),
    "police.handover POST": Entry("/api/police/contact-requests/{contact}/handover", frozenset({POLICE}),
                                  as_json({"category": "repair"})),
    # Service requests
    "requests.Requests GET": Entry("/api/requests", SIGNED_IN),
    "requests.filing GET": Entry("/api/requests/filing", SIGNED_IN),
    "requests.Requests POST": Entry("/api/requests", frozenset({RESIDENT}),
                                    as_json({"category": "dispute", "description": "楼上漏水"})),
    "requests.get_request GET": Entry("/api/requests/{request}", **REQUEST_READERS),
    "requests.get_photo GET": Entry("/api/requests/{request}/photos/{photo}", **REQUEST_READERS),
    "requests.act POST": Entry("/api/requests/{request}/events", body=bodies.step, **REQUEST_READERS),
    # Mediation and transfers are the handler's or the admin's; photos the household's or the handler's.
    # An Open311 caller's contacts: the handler calls back, the admin may; the household is refused.
    "requests.reveal_caller POST": Entry("/api/requests/{request}/caller/reveal", HANDLERS | {ADMIN},
                                         as_json({"reason": "回电核实诉求"}), blind=frozenset({POLICE}),
                                         late=frozenset({RESIDENT})),
    "requests.mediate PUT": Entry("/api/requests/{request}/mediation", HANDLERS | {ADMIN}, as_json({"kind": "peoples"}),
                                  blind=frozenset({POLICE}), late=frozenset({RESIDENT})),
    "requests.transfer_targets GET": Entry("/api/requests/{request}/transfer-targets", HANDLERS | {ADMIN},
                                           blind=frozenset({POLICE}), late=frozenset({RESIDENT})),
    "requests.upload_photos POST": Entry("/api/requests/{request}/photos", HANDLERS | {RESIDENT}, bodies.photo,
                                         blind=frozenset({POLICE}), late=frozenset({ADMIN})),
    # Points: the givers (the admin, a grid head in their grids) award, deduct, reverse and hand rewards over;
    # everyone signed in has points, spends them and reads the leaderboards.
    "points.list_rules GET": Entry("/api/points/rules", STAFF),
    "points.change_rule PATCH": Entry("/api/points/rules/{rule}", ONLY_ADMIN, as_json({"points": 8})),
    "points.manual_entry POST": Entry("/api/points/entries", PRINTERS, bodies.manual_entry),
    "points.reverse_entry POST": Entry("/api/points/entries/{entry}/reverse", PRINTERS, as_json({"reason": "重复"})),
    "points.my_points GET": Entry("/api/my/points", SIGNED_IN),
    "points.leaderboard_view GET": Entry("/api/points/leaderboard", SIGNED_IN),
    "points.Rewards GET": Entry("/api/rewards", SIGNED_IN),
    "points.Rewards POST": Entry("/api/rewards", ONLY_ADMIN, as_json({"name": "毛巾", "cost": 3, "stock": 5})),
    "points.change_reward PATCH": Entry("/api/rewards/{reward}", ONLY_ADMIN, as_json({"stock": 20})),
    "points.redeem POST": Entry("/api/rewards/{reward}/redeem", SIGNED_IN, bodies.redeem),
    "points.redemptions GET": Entry("/api/redemptions", PRINTERS),
    "points.handed_over POST": Entry("/api/redemptions/{redemption}/handed-over", PRINTERS),
    # Micro-wishes: the household (or the staff who posted it) cancels; its grid head (or the admin) reviews and
    # confirms; anyone of the community but the household claims; the claimer fulfils.
    "wishes.Wishes GET": Entry("/api/wishes", SIGNED_IN),
    "wishes.Wishes POST": Entry("/api/wishes", frozenset({RESIDENT, GRID_HEAD, UNIT_LEADER}), bodies.wish),
    "wishes.get_wish GET": Entry("/api/wishes/{wish}", SIGNED_IN),
    "wishes.approve POST": Entry("/api/wishes/{wish}/approve", frozenset({GRID_HEAD, ADMIN}), as_json({})),
    "wishes.reject POST": Entry("/api/wishes/{wish}/reject", frozenset({GRID_HEAD, ADMIN}), as_json({"reason": "重复"})),
    "wishes.cancel POST": Entry("/api/wishes/{wish}/cancel", frozenset({RESIDENT}), late=STAFF),
    "wishes.claim POST": Entry("/api/wishes/{open_wish}/claim", SIGNED_IN),
    "wishes.fulfil POST": Entry("/api/wishes/{open_wish}/fulfil", SIGNED_IN, bodies.fulfil),
    "wishes.confirm POST": Entry("/api/wishes/{done_wish}/confirm", frozenset({RESIDENT, GRID_HEAD, ADMIN}),
                                 late=frozenset({UNIT_LEADER, JOINT_HEAD, POLICE})),
    "wishes.wish_wall GET": public("/api/communities/{jurisdiction}/wish-wall", own=200, other=404),
    "wish_pages.wall_page GET": public("/wall/{jurisdiction}", own=200, other=404),
    "wishes.wall_photo GET": public("/api/communities/{jurisdiction}/wish-wall/photos/{wall_photo}", own=200,
                                    other=404),
    # The wisher adds the wish's photo (the staff of its place see it, and every photo of it).
    "wishes.add_photo POST": Entry("/api/wishes/{wish}/photos", SIGNED_IN, bodies.wish_photo, late=STAFF),
    "wishes.get_photo GET": Entry("/api/wishes/{done_wish}/photos/{wish_photo}", SIGNED_IN),
    "wishes.life_figures GET": Entry("/api/figures/community-life", ONLY_ADMIN),
    "wishes.Settings GET": Entry("/api/community/wish-settings", ONLY_ADMIN),
    "wishes.Settings PUT": Entry("/api/community/wish-settings", ONLY_ADMIN, as_json({"claim_days": 10})),
    # Activities: the admin and grid heads organise and print; people check in from WeChat by the scanned code.
    "activities.Activities GET": Entry("/api/activities", SIGNED_IN),
    "activities.Activities POST": Entry("/api/activities", PRINTERS, bodies.activity),
    "activities.ActivityCode GET": Entry("/api/activities/{activity}/code", PRINTERS),
    "activities.ActivityCode POST": Entry("/api/activities/{activity}/code", PRINTERS),
    "activities.poster GET": Entry("/api/activities/{activity}/poster", PRINTERS),
    "activities.check_in POST": Entry("/api/checkin/{activity_token}", frozenset({RESIDENT})),
    # Party members and volunteers: the admin keeps the organisation and its members; the admin and grid heads
    # assign contact households and record volunteers in their place; a member reads their own households.
    "party.Organisations GET": Entry("/api/party/organisations", PRINTERS),
    "party.Organisations POST": Entry("/api/party/organisations", ONLY_ADMIN,
                                      as_json({"kind": "committee", "name": "社区第二党委"})),
    "party.Members GET": Entry("/api/party/members", PRINTERS),
    "party.Members POST": Entry("/api/party/members", ONLY_ADMIN, bodies.party_member),
    "party.change_member PATCH": Entry("/api/party/members/{party_member}", PRINTERS, as_json({"volunteer": True})),
    "party.assign PUT": Entry("/api/party/members/{party_member}/households", PRINTERS, bodies.contact_households),
    "party.coverage GET": Entry("/api/party/coverage", PRINTERS),
    "party.my_contact_households GET": Entry("/api/my/contact-households", SIGNED_IN),
    "party.Volunteers GET": Entry("/api/volunteers", PRINTERS),
    "party.Volunteers POST": Entry("/api/volunteers", PRINTERS, bodies.volunteer),
    # Open311 (GeoReport v2): read by anyone in the community jurisdiction_id names (with its api_key, or none);
    # "other" names no community (XX).
    "open311.discovery_document GET": public("/open311/discovery.xml", own=200),
    "open311.services GET": public("/open311/v2/services.json?jurisdiction_id={jurisdiction}", own=200, other=404),
    "open311.definition GET": public("/open311/v2/services/{service}.xml?jurisdiction_id={jurisdiction}",
                                     own=200, other=404),
    "open311.list_requests GET": public("/open311/v2/requests.xml?jurisdiction_id={jurisdiction}&api_key={api_key}",
                                        own=200, other=404, no_key=200),
    "open311.get_request GET": public("/open311/v2/requests/{request}.json?jurisdiction_id={jurisdiction}"
                                      "&api_key={api_key}", own=200, other=404, no_key=200),
    "open311.token GET": public("/open311/v2/tokens/{request}.json?jurisdiction_id={jurisdiction}", own=200, other=404),
    # "other" names a house of another community: no such house for this key.
    "open311.create_request POST": public("/open311/v2/requests.xml", bodies.open311_request,
                                          own=201, other=400, no_key=403),
    "open311.unknown GET": public("/open311/v2/services.csv", own=404),
    "open311.unknown POST": public("/open311/v2/requests.csv", own=404),
    **{f"open311.unknown {method}": public("/open311/v2/requests.json", own=405)
       for method in ("PUT", "PATCH", "DELETE")},   # reads are GET, filing is POST
    # A scanned console code, answered in the mini-program by a WeChat bound to an active staff account: no player
    # is one (staff call with a password's token), so staff are refused once the code is found.
    **{f"console_login.{name} {method}": Entry(f"/api/console-login/{{scan_ticket}}{tail}", STAFF, late=STAFF)
       for name, method, tail in (("show", "GET", ""), ("confirm", "POST", "/confirm"), ("cancel", "POST", "/cancel"))},
    # The staff console (a session sign-in); `/` leads to it
    "root.index GET": public("/", own=302),
    "console.login GET": public("/console/login", own=200),
    "console.login_form POST": public("/console/login", bodies.console_login, own=303, other=401),
    "console.logout POST": public("/console/logout", bodies.console_form, own=303),
    # Scan to sign in: the browser asks for a code, and only it may look whether a phone confirmed it.
    "console.scan_start POST": public("/console/login/scan", bodies.console_form, own=200),
    "console.scan_state GET": public("/console/login/scan/{scan_ticket}", bodies.scan_browser, own=204, other=404),
    "console.home GET": page("/console/", STAFF),
    "console.requests GET": page("/console/requests", HANDLERS | {ADMIN}),
    "console.request_detail GET": page("/console/requests/{request}", HANDLERS | {ADMIN}),
    "console.act POST": page("/console/requests/{request}/events", HANDLERS | {ADMIN}, bodies.console_step),
    "console.mediate POST": page("/console/requests/{request}/mediation", HANDLERS | {ADMIN},
                                 {"data": {"kind": "peoples", "outcome": "resolved"}}),
    "console.photo GET": page("/console/requests/{request}/photos/{photo}", HANDLERS | {ADMIN}),
    "console.dashboard GET": page("/console/dashboard", PRINTERS),
    "console.community_workbook GET": page("/console/figures.xlsx", ONLY_ADMIN),
    "console.grid_workbook GET": page("/console/grids/{grid}/figures.xlsx", PRINTERS),
    "console.screen GET": page("/console/screen", ONLY_ADMIN),
    "console.screen_figures GET": page("/console/screen/figures", ONLY_ADMIN),
    "console.registrations GET": page("/console/registrations", PRINTERS),
    "console.households GET": page("/console/households", PRINTERS),
    "console.returning GET": page("/console/returning", PRINTERS),
    "console.returning_workbook GET": page("/console/grids/{grid}/returning.xlsx", PRINTERS),
    "console.decide_move POST": page("/console/moves/{move}/approve", frozenset({GRID_HEAD})),
    "console.letters GET": page("/console/letters", ONLY_ADMIN),
    "console.queue_letters POST": page("/console/letters/jobs", ONLY_ADMIN),
    "console.letter_job GET": page("/console/letters/jobs/{letter_job}", ONLY_ADMIN),
    "console.letter_job_file GET": page("/console/letters/jobs/{letter_job}.pdf", ONLY_ADMIN),
    "console.house_letter GET": page("/console/households/{household}/letter.pdf", ONLY_ADMIN),
    "console.reprint_letter POST": page("/console/households/{household}/reprint", ONLY_ADMIN,
                                        {"data": {"confirm": "1"}}),
    "console.decide_member POST": page("/console/members/{pending}/confirm", frozenset({GRID_HEAD})),
    "console.houses GET": page("/console/houses", ONLY_ADMIN),
    "console.import_sheet POST": page("/console/houses", ONLY_ADMIN, bodies.house_sheet),
    "console.export_houses GET": page("/console/houses.xlsx", ONLY_ADMIN),
    "console.house_template GET": page("/console/houses-template.xlsx", ONLY_ADMIN),
    "console.community_letters GET": page("/console/letters.pdf", ONLY_ADMIN),
    "console.grid_letters GET": page("/console/grids/{grid}/letters.pdf", PRINTERS),
    "console.card GET": page("/console/card.png", frozenset({POLICE})),
    "console.card_contact GET": page("/console/card.vcf", frozenset({POLICE})),
    "console.staff GET": page("/console/staff", ONLY_ADMIN),
    "console.create_account POST": page("/console/staff", ONLY_ADMIN, {"data": {
        "username": "new.leader", "password": "password-123", "role": "unit_leader", "name": "新楼长"}}),
    "console.invite_staff POST": page("/console/staff/{staff}/invite", ONLY_ADMIN),
    "console.reveal_member POST": page("/console/members/{member}/reveal", frozenset({GRID_HEAD}),
                                       {"data": {"reason": "核实户籍信息"}}),
    "console.admin_categories GET": page("/console/admin/categories", ONLY_ADMIN),
    "console.admin_add_category POST": page("/console/admin/categories", ONLY_ADMIN, {"data": {
        "name": "停车管理", "code": "parking", "deadline_hours": "24", "first_responder": "unit_leader"}}),
    "console.admin_category GET": page("/console/admin/categories/{category}", ONLY_ADMIN),
    "console.admin_edit_category POST": page("/console/admin/categories/{category}", ONLY_ADMIN,
                                             {"data": {"name": "其他事项", "deadline_hours": "48"}}),
    "console.admin_retire_category POST": page("/console/admin/categories/{category}/retire", ONLY_ADMIN),
    "console.admin_letter GET": page("/console/admin/letter", ONLY_ADMIN),
    "console.admin_save_letter POST": page("/console/admin/letter", ONLY_ADMIN,
                                           {"data": {"template": DEFAULT_LETTER_TEMPLATE}}),
    "console.admin_preview_letter POST": page("/console/admin/letter/preview", ONLY_ADMIN,
                                              {"data": {"template": DEFAULT_LETTER_TEMPLATE}}),
    "console.admin_keys GET": page("/console/admin/open311-keys", ONLY_ADMIN),
    "console.admin_issue_key POST": page("/console/admin/open311-keys", ONLY_ADMIN, {"data": {"label": "市民热线"}}),
    "console.admin_revoke_key POST": page("/console/admin/open311-keys/{key}/revoke", ONLY_ADMIN),
    "console.admin_audit GET": page("/console/admin/audit", ONLY_ADMIN),
    "console.admin_audit_entry GET": page("/console/admin/audit/{audit}", ONLY_ADMIN),
    "console.admin_audit_workbook GET": page("/console/admin/audit.xlsx", ONLY_ADMIN),
    "console.police GET": page("/console/police", frozenset({POLICE})),
    "console.mark_contact POST": page("/console/contacts/{contact}", frozenset({POLICE}),
                                      {"data": {"status": "contacted", "note": "已电话联系"}}),
}
