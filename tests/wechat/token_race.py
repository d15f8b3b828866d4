"""One app process of the several-process token test (test_access_token.py): the app's WeChat client configured from
the environment (its token stored in Redis or the database, as REDIS_URL says), in a bare app with only the database
(create_app's pages and API would only slow the start). It says "ready", waits for "go" on stdin, sends one
subscribe message and prints "sent" or "error <errcode>"."""
import sys

from flask import Flask

from app.notifications.wechat_gateway import wechat_client
from app.web.extensions import db
from config import Config
from wechat.client import send_subscribe
from wechat.errors import WeChatError


def main(openid: str) -> None:
    app = Flask(__name__)
    app.config.from_object(Config)
    db.init_app(app)
    with app.app_context():
        client = wechat_client()
        print("ready", flush=True)
        sys.stdin.readline()
        try:
            send_subscribe(client, openid, "jiashu-notice", {"thing1": "hello", "thing2": "hi", "time3": "15:01"})
        except WeChatError as exc:
            print(f"error {exc.errcode}", flush=True)
        else:
            print("sent", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
