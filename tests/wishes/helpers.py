"""Posting and acting on wishes as the mini-program does."""
from tests import factories as f


def post(client, who, **body):
    answer = client.post("/api/wishes", headers=f.auth(who), json={"text": "想要一台收音机", "category": "goods", **body})
    assert answer.status_code == 201, answer.json
    return answer.json


def step(client, who, wish_id, action, **body):
    return client.post(f"/api/wishes/{wish_id}/{action}", headers=f.auth(who), json=body)
