"""WeChat's check files: served exactly where WeChat looks for them, beside the printed codes' pages."""
import re
from pathlib import Path

import pytest

from app.codes.services import code_for
from app.web.extensions import db
from config import check_files
from qr.tokens import PRINTED_SEGMENTS, activity_url, card_url, scan_url

DEPLOYMENT = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
# Where WeChat looks for a check file: the root (a rule without a sub-directory), and each printed prefix.
CHECK_FILE_PATHS = ["", *(f"/{segment}" for segment in PRINTED_SEGMENTS.values())]

# Two rules' files as WeChat hands them out: a random name and a short hex content.
FILES = {"Xq81hTzW0c.txt": "5d2f0b7c91e4a6d8c3b0f1e2a7d9c4b6", "k2LmN9pQ.txt": "e3b0c44298fc1c149afbf4c8996fb924"}


@pytest.fixture
def configured(app):
    app.config["WECHAT_CHECK_FILES"] = check_files(",".join(f"{name}:{content}" for name, content in FILES.items()))


@pytest.mark.parametrize("prefix", CHECK_FILE_PATHS)
def test_each_check_file_is_served_exactly_at_the_root_and_under_each_printed_prefix(client, configured, prefix):
    for name, content in FILES.items():
        response = client.get(f"{prefix}/{name}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert response.data == content.encode()


def test_codes_still_resolve_beside_the_check_files(client, world, configured):
    house, card = code_for(world.house1).token, code_for(world.police1).token
    db.session.commit()
    page = client.get(f"/s/{house}")
    assert page.status_code == 200 and world.house1.code in page.get_data(as_text=True)
    card_page = client.get(f"/c/{card}")
    assert card_page.status_code == 200 and world.police1.name in card_page.get_data(as_text=True)
    assert client.get(f"/api/scan/{house}").json["code"] == world.house1.code
    assert client.get(f"/s/{next(iter(FILES))}").data == next(iter(FILES.values())).encode()


@pytest.mark.parametrize("path", ["/s/Nope123.txt", "/c/Nope123.txt", "/s/XQ81HTZW0C.txt", "/s/Xq81hTzW0c.TXT"])
def test_a_name_not_configured_is_an_unknown_code_under_the_code_paths(client, configured, path):
    response = client.get(path)
    assert response.status_code == 404 and "二维码无效" in response.get_data(as_text=True)


def test_a_name_not_configured_is_not_found_at_the_root(client, configured):
    assert client.get("/Nope123.txt").status_code == 404
    assert client.get("/robots.txt").status_code == 404


def test_nothing_is_served_when_nothing_is_configured(client):
    for prefix in CHECK_FILE_PATHS:
        assert client.get(f"{prefix}/{next(iter(FILES))}").status_code == 404


def test_the_setting_is_read_strictly():
    assert check_files("") == {}
    assert check_files(" a1.txt:abc , b_2.txt:DEF ") == {"a1.txt": "abc", "b_2.txt": "DEF"}
    for bad in ("a1.txt", "a1.txt:", "a1:abc", "../a1.txt:abc", "a 1.txt:abc", "a1.txt:ab c"):
        with pytest.raises(ValueError, match="WECHAT_CHECK_FILES"):
            check_files(bad)


def test_every_prefix_the_app_prints_has_its_qr_rule_in_the_deployment_guide():
    """The guide listed rules for /s/ and /c/ only: posters print /a/ links, whose scans opened the web page."""
    printed = {url.split("/")[3] for url in (make("https://jiashu.example.cn", "T" * 22)
                                             for make in (scan_url, card_url, activity_url))}
    assert printed == set(PRINTED_SEGMENTS.values())
    guide = DEPLOYMENT.read_text(encoding="utf-8")
    rules = set(re.findall(r"\| `https://jiashu\.example\.cn/([a-z]+)/` \|", guide))
    assert rules == printed
    served = re.search(r"Every configured file is served at ([^;]+);", guide.replace("\n   ", " ")).group(1)
    assert set(re.findall(r"`/([a-z]+)/<name>`", served)) == printed
