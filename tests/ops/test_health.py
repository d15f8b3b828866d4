"""/healthz answers while the process lives; /readyz answers 503 naming what is down."""
from app import create_app
from config import TestConfig


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_ready_when_database_and_redis_answer(client, app):
    response = client.get("/readyz")
    assert response.status_code == 200
    expected = {"database": "ok", **({"redis": "ok"} if app.config.get("REDIS_URL") else {})}
    assert response.json == {"status": "ready", "checks": expected}


def test_redis_down_is_503_naming_redis(client, app, closed_port):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port}/0"
    response = client.get("/readyz")
    assert response.status_code == 503 and response.headers["Retry-After"]
    body = response.json
    assert body["code"] == 503 and body["status"] == "Service Unavailable"
    assert "redis" in body["message"] and "database" not in body["message"]
    assert set(body["errors"]) == {"redis"}


def test_database_down_is_503_naming_the_database(app, closed_port):
    broken = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://x@127.0.0.1:{closed_port}/x",
                        REDIS_URL=None)
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert "database" in response.json["message"] and set(response.json["errors"]) == {"database"}
    assert str(closed_port) not in response.get_data(as_text=True)


def test_probes_stay_out_of_the_api_spec(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert not {"/healthz", "/readyz"} & set(paths)
