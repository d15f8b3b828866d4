"""The wish wall as a page (/wall/<code>) and as the API: field by field what a wish shows, and nothing of the
registered house behind it (its address, code, members' names, phones and ID numbers, the staff's tag)."""
import json
import re
from html import unescape

from app.privacy.masking import mask_id_number, mask_phone
from tests.residents.helpers import letter_token, newcomer, person, register
from tests.wishes.helpers import post, step


def items(html: str) -> list[str]:
    """Each wish of the page as the text a reader sees, spaces folded."""
    found = re.findall(r'<li class="item">(.*?)</li>', html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in found]


def test_the_wall_shows_text_category_grid_and_a_masked_name_and_nothing_of_a_registered_house(client, world):
    family = [person("欧阳秀英", 41, is_self=True), person("欧阳建国", 42, "配偶")]
    _, headers = newcomer()
    registered = register(client, letter_token(world.house1b), headers, family, claim_head=True)
    assert registered.status_code == 201
    wish = client.post("/api/wishes", headers=headers, json={"text": "想要一台收音机", "category": "goods",
                                                           "estimated_value": 173})
    assert wish.status_code == 201
    on_behalf = post(client, world.head1, household_id=world.house1b.id, beneficiary_name="欧阳建国",
                     vulnerability="elderly_alone", text="希望有人陪我聊聊天", category="companionship")
    for wish_id in (wish.json["id"], on_behalf["id"]):
        step(client, world.head1, wish_id, "approve")

    page = client.get("/wall/SQ")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "script-src" not in page.headers["Content-Security-Policy"]   # default-src 'self': no inline script
    shown = items(page.get_data(as_text=True))
    assert [re.sub(r" · \d\d-\d\d \d\d:\d\d$", "", item) for item in shown] == [
        "希望有人陪我聊聊天 陪伴 第1网格 · 欧***", "想要一台收音机 物品 第1网格 · 欧***"]
    api = client.get("/api/communities/SQ/wish-wall").json
    assert [{k: row[k] for k in ("text", "category", "grid", "name", "photo")} for row in api] == [
        {"text": "希望有人陪我聊聊天", "category": "companionship", "grid": "第1网格", "name": "欧***", "photo": None},
        {"text": "想要一台收音机", "category": "goods", "grid": "第1网格", "name": "欧***", "photo": None}]

    house = world.house1b
    secrets = [house.address, house.code, house.door + "室", house.head_phone, world.head1.phone,
               "elderly_alone", "独居", "173"]
    for member in family:
        secrets += [member["name"], member["id_number"], mask_id_number(member["id_number"]), member["phone"],
                    mask_phone(member["phone"])]
    # Times are no secret, and their digits can hold a secret's by chance (a created_at once held "88").
    for text in (page.get_data(as_text=True), re.sub(r"\d{4}-\d\d-\d\dT[\d:.+]+", "", json.dumps(api, ensure_ascii=False))):
        assert [secret for secret in secrets if secret and secret in text] == []


def test_the_page_of_an_unknown_community_and_pages_of_twenty(client, world):
    unknown = client.get("/wall/XX")
    assert unknown.status_code == 404 and "没有这个社区" in unknown.get_data(as_text=True)
    for n in range(21):
        step(client, world.head1, post(client, world.wechat1, text=f"心愿{n}")["id"], "approve")
    first, second = client.get("/wall/SQ").get_data(as_text=True), client.get("/wall/SQ?page=2").get_data(as_text=True)
    assert len(items(first)) == 20 and "下一页" in first and "上一页" not in first
    assert len(items(second)) == 1 and "上一页" in second and items(second)[0].startswith("心愿0 ")


def test_a_page_number_no_page_has_is_refused_naming_it(client, world):
    """?page=99999999999999999999 made an offset no database integer holds: a 500."""
    for page in ("99999999999999999999", "0", "abc"):
        answer = client.get(f"/wall/SQ?page={page}")
        assert answer.status_code == 422 and "页码（page）" in answer.get_data(as_text=True), page
