"""The browser build of the mini-program, served by the app at /m/ on its own origin."""
import pytest


@pytest.fixture
def built(app, tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<!DOCTYPE html><script type="module" src="/m/assets/index-abc123.js">'
                                         '</script>', encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('家书')", encoding="utf-8")
    app.config["CLIENT_H5_DIR"] = str(tmp_path)
    return tmp_path


def test_the_page_is_served_under_a_policy_admitting_only_this_origin(client, built):
    page = client.get("/m/")
    assert page.status_code == 200 and b"/m/assets/index-abc123.js" in page.data
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "connect-src 'self';" in policy and "default-src 'self';" in policy
    assert page.headers["Cache-Control"] == "no-cache"   # a new build shows at the next visit
    assert client.get("/m").headers["Location"].endswith("/m/")


def test_hashed_assets_are_kept_a_year_and_nothing_outside_the_build_is_reachable(client, built):
    script = client.get("/m/assets/index-abc123.js")
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    assert "max-age=31536000" in script.headers["Cache-Control"]
    (built.parent / "secret.txt").write_text("no", encoding="utf-8")
    assert client.get("/m/../secret.txt").status_code == 404
    assert client.get("/m/%2e%2e/secret.txt").status_code == 404
    assert client.get("/m/assets/missing.js").status_code == 404


def test_an_unbuilt_client_says_how_to_build_it(client, app, tmp_path):
    app.config["CLIENT_H5_DIR"] = str(tmp_path / "nothing")
    answer = client.get("/m/")
    assert answer.status_code == 404 and b"make client" in answer.data
