"""The WeChat build itself (miniprogram/dist/build/mp-weixin, `make client`), not the browser one: its compiled
pages run in WeChat's miniprogram-simulate (miniprogram/tests-mp/, Node) against the real app on loopback and the
fake WeChat. A door's link opens the scan page, which goes on to the house and shows its code; the registration
page sends a member the grid head then finds through the API."""
import json
import os
import shutil
import subprocess

import pytest

from tests import factories as f
from tests.residents.helpers import letter_token

CLIENT = os.path.join(os.path.dirname(__file__), "..", "..", "miniprogram")
BUILD = os.path.join(CLIENT, "dist", "build", "mp-weixin", "app.json")
SCRIPT = os.path.join(CLIENT, "tests-mp", "weixin.test.cjs")


@pytest.fixture
def weixin(served, live):   # the app served on loopback (tests/client/conftest.py)
    if not os.path.exists(BUILD):
        pytest.skip("the mini-program's WeChat build is missing (make client)")
    if not (shutil.which("node") and os.path.isdir(os.path.join(CLIENT, "node_modules", "miniprogram-simulate"))):
        pytest.skip("node or the client's npm packages are missing (make client)")
    served.config["PUBLIC_BASE_URL"] = live   # the printed links name the server the phone reaches

    def run(**facts):
        env = {**os.environ, "JIASHU_API": live, "JIASHU_FACTS": json.dumps(facts, ensure_ascii=False)}
        done = subprocess.run(["node", "--test", SCRIPT], cwd=CLIENT, env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout
    return run


def test_the_weixin_build_opens_the_letter_and_registers_against_the_backend(weixin, live, client, world):
    house = world.house1b
    token = letter_token(house)
    weixin(link=f"{live}/s/{token}", token=token, code=house.code, address=house.address,
           name="周八", id_number=f.id_number(4))

    members = client.get(f"/api/households/{house.id}/members", headers=f.auth(world.head1)).json
    assert [(m["name"], m["status"]) for m in members] == [("周八", "confirmed")]
