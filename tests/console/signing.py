"""Signing in to the console with the Flask test client, as a browser would: the form's CSRF token, then the
page's, which every later form and htmx request sends."""
import re

TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_of(client, path="/console/login") -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def sign_in(client, staff, password="password-1") -> dict:
    """Sign `staff` in; the headers (X-CSRFToken) their later state-changing requests carry."""
    answer = client.post("/console/login", data={"username": staff.username, "password": password,
                                                 "csrf_token": csrf_of(client)})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return {"X-CSRFToken": csrf_of(client, "/console/login")}
