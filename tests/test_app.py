"""The app as a whole: configuration safety, the OpenAPI spec and docs page, JSON errors."""
import pytest

from app import create_app
from config import DEFAULT_SECRET, TestConfig


def test_production_refuses_the_default_secret(database_url):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(TestConfig, ENV_NAME="production", SECRET_KEY=DEFAULT_SECRET,
                   SQLALCHEMY_DATABASE_URI=database_url)
    key = "A" * 43 + "="  # base64 of 32 bytes; production also needs the ID number keys (tests/residents)
    create_app(TestConfig, ENV_NAME="production", SECRET_KEY="a-real-secret", SQLALCHEMY_DATABASE_URI=database_url,
               ID_ENCRYPTION_KEYS=f"k1:{key}", ID_BLIND_INDEX_KEY=key)


def test_openapi_spec_lists_every_api_route(client, app):
    spec = client.get("/api/openapi.json").json
    documented = {path for path in spec["paths"]}
    routes = {str(r.rule).replace("<int:", "{").replace("<", "{").replace(">", "}")
              for r in app.url_map.iter_rules()
              if r.rule.startswith("/api/") and not r.rule.startswith(("/api/docs", "/api/openapi"))}
    assert routes and routes <= documented
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_docs_page_is_served_without_a_cdn(client, app):
    page = client.get("/api/docs").data.decode()
    assert "/api/docs-static/swagger-ui-bundle.js" in page
    assert client.get("/api/docs-static/swagger-ui-bundle.js").status_code == 200


def test_unknown_route_is_json_404(client, app):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.json["message"]
