"""The mini-program's API types are the API's: its committed copy of the spec is the one the app serves today, and
its TypeScript types are openapi-typescript's output of that copy (`make client-types` remakes both)."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

CLIENT = Path(__file__).resolve().parents[2] / "miniprogram"
SPEC = CLIENT / "src" / "api" / "openapi.json"
TYPES = CLIENT / "src" / "api" / "schema.d.ts"
GENERATOR = CLIENT / "node_modules" / ".bin" / "openapi-typescript"


def test_the_clients_spec_is_the_one_the_app_serves(client):
    served = client.get("/api/openapi.json").get_json()
    assert json.loads(SPEC.read_text(encoding="utf-8")) == served, "the API changed: run `make client-types`"


def test_the_clients_types_are_generated_from_its_spec(tmp_path):
    if not GENERATOR.exists() or shutil.which("node") is None:
        pytest.skip("the client's npm packages are not installed (make test installs them)")
    generated = tmp_path / "schema.d.ts"
    subprocess.run([str(GENERATOR), str(SPEC), "-o", str(generated)], cwd=CLIENT, check=True, capture_output=True,
                   timeout=120)
    assert generated.read_text(encoding="utf-8") == TYPES.read_text(encoding="utf-8"), "run `make client-types`"


def test_a_revalidated_scan_documents_its_query_beside_if_none_match(client):
    """The scan page's one call: its `q` and `scene` reach the client's types, as does If-None-Match."""
    spec = client.get("/api/openapi.json").get_json()
    scan = {(p["in"], p["name"]) for p in spec["paths"]["/api/scan"]["get"]["parameters"]}
    assert {("query", "q"), ("query", "scene"), ("header", "If-None-Match")} <= scan
    by_token = {(p["in"], p["name"]) for p in spec["paths"]["/api/scan/{token}"]["get"]["parameters"]}
    assert ("header", "If-None-Match") in by_token
