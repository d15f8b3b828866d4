"""A loopback stand-in for api.weixin.qq.com, speaking WeChat's wire format, for tests and demos."""
import argparse
import base64
import email.policy
import hashlib
import io
import json
import os
import re
import secrets
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import qrcode
from PIL import Image

# path -> API name, as used by fail() and calls
ROUTES = {
    "/cgi-bin/token": "token",
    "/cgi-bin/stable_token": "stable_token",
    "/sns/jscode2session": "jscode2session",
    "/wxa/business/getuserphonenumber": "phone",
    "/wxa/getwxacodeunlimit": "wxacode",
    "/cgi-bin/message/subscribe/send": "subscribe",
    "/wxa/msg_sec_check": "msg_sec_check",
    "/wxa/generate_urllink": "urllink",
    "/wxa/img_sec_check": "img_sec_check",
}

ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40013: "invalid appid",
    40029: "invalid code",
    40125: "invalid appsecret",
    40163: "code been used",
    40164: "invalid ip, not in whitelist",
    40169: "invalid length for scene, or the data is not json",
    41001: "access_token missing",
    41030: "invalid page",
    42001: "access_token expired",
    43101: "user refuse to accept the msg",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    47001: "data format error",
    47003: "argument invalid!",
    61010: "code is expired",   # msg_sec_check: the openid has not opened the mini-program lately
    87014: "risky content",   # img_sec_check
    40165: "invalid weapp pagepath",
    40212: "invalid query",
    85401: "invalid expire time",   # generate_urllink: an interval of 1 to 30 days
}

JSON_TYPE = "application/json; encoding=utf-8"
# The characters WeChat allows in a URL Link's query.
_URL_QUERY = re.compile(r"[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*")


def _error(errcode):
    # WeChat appends a request id to every errmsg
    return {"errcode": errcode, "errmsg": f"{ERRMSG.get(errcode, 'error')} rid: {secrets.token_hex(6)}"}


def _new_session_key():
    return base64.b64encode(os.urandom(16)).decode()


def _digest(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# Access tokens, as WeChat's documentation describes them: valid 7200 s; a cgi-bin/token fetch retires the previous
# one 300 s later; stable_token answers every caller the same token, the next one only in its last 300 s (the old
# one then valid to its end); force_refresh retires it at once, 20 times a day, and not twice within 30 s.
TOKEN_LIFE, TOKEN_OVERLAP = 7200, 300
FORCED_PER_DAY, FORCED_SPACING = 20, 30


@dataclass
class _Token:
    kind: str            # "token" (cgi-bin/token) or "stable" (cgi-bin/stable_token)
    valid_until: float   # on the fake's clock
    retired: bool = False  # refused for a newer token (40001) rather than expired (42001)


@dataclass
class _Fault:
    errcode: int | None
    status: int | None
    delay: float | None
    times: int | None  # None = until clear()
    after: int = 0     # calls answered normally before the fault starts


class FakeWeChat:
    """Threaded HTTP server on 127.0.0.1 with WeChat's token, login, phone, code, URL Link and message APIs."""

    def __init__(self, appid="wx0000000000fake00", secret=None, port=0, auto_codes=False,
                 host="127.0.0.1", verbose=False):
        self.appid = appid
        self.secret = secret or secrets.token_hex(16)
        self.auto_codes = auto_codes
        self.verbose = verbose
        self._address = (host, port)
        self._httpd = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._tokens = {}    # token -> _Token
        self._stable = None  # stable_token's current token
        self._forced = []    # when force_refresh rotated it, the last day
        self._clock_offset = 0.0
        self._codes = {}  # js_code -> (openid, session_key, unionid)
        self._used_codes = set()
        self._phones = {}  # phone code -> number
        self._unsubscribed = set()
        self._flagged_words = set()
        self._checked = []
        self._links = []
        self._flagged_colours = []
        self._checked_images = []
        self._faults = {}
        self._down = False
        self._sent = []
        self._calls = Counter()

    # -- lifecycle ---------------------------------------------------------------

    def start(self):
        self._stopping.clear()
        self._httpd = _Server(self._address, _Handler)
        self._httpd.fake = self
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self):
        self._stopping.set()  # cuts injected delays short
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def base_url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- test controls -----------------------------------------------------------

    def register_code(self, code, openid, session_key=None, unionid=None):
        """Make single-use `code` log in as `openid`; returns the session key it hands out."""
        session_key = session_key or _new_session_key()
        with self._lock:
            self._codes[code] = (openid, session_key, unionid)
        return session_key

    def register_phone_code(self, code, phone):
        with self._lock:
            self._phones[code] = phone

    def no_subscription(self, openid):
        """From now on messages to `openid` answer 43101."""
        with self._lock:
            self._unsubscribed.add(openid)

    def flag_text(self, word):
        """From now on msg_sec_check answers "risky" for any content containing `word`."""
        with self._lock:
            self._flagged_words.add(word)

    def flag_image(self, colour):
        """From now on img_sec_check answers 87014 (risky) for any image whose average colour is within a few
        steps of `colour` (r, g, b): a test's red square stays red through any re-encoding."""
        with self._lock:
            self._flagged_colours.append(tuple(colour))

    @property
    def checked_images(self):
        """(width, height, format) of every image checked so far, in order."""
        with self._lock:
            return list(self._checked_images)

    def expire_tokens(self):
        """Issued tokens answer 42001 from now on; the next fetch gets a new one."""
        with self._lock:
            for token in self._tokens.values():
                token.valid_until = min(token.valid_until, self._now())

    def advance(self, seconds):
        """Move the fake's clock (token lifetimes, force_refresh's limits) `seconds` ahead."""
        with self._lock:
            self._clock_offset += seconds

    def _now(self):
        return time.monotonic() + self._clock_offset

    def fail(self, api, errcode=None, status=None, delay=None, times=1, after=0):
        """After `after` normal calls, the next `times` calls to `api` (name or path suffix) wait
        `delay` s, then answer `status` (HTML body) or `errcode` (JSON, HTTP 200), or normally."""
        name = self._api_name(api)
        with self._lock:
            self._faults[name] = _Fault(errcode, status, delay, times, after)

    def clear(self):
        with self._lock:
            self._faults.clear()

    def down(self):
        """Every call answers HTTP 503 until up()."""
        self._down = True

    def up(self):
        self._down = False

    @property
    def sent(self):
        """Subscribe messages delivered so far (copies)."""
        with self._lock:
            return [dict(message) for message in self._sent]

    @property
    def checked(self):
        """(openid, content, scene) of every content check so far, in order."""
        with self._lock:
            return list(self._checked)

    @property
    def links(self):
        """(url_link, path, query) of every URL Link generated so far, in order."""
        with self._lock:
            return list(self._links)

    @property
    def calls(self):
        """Calls received per API name, faulted ones included."""
        with self._lock:
            return Counter(self._calls)

    @staticmethod
    def _api_name(api):
        if api in ROUTES.values():
            return api
        matches = [name for path, name in ROUTES.items() if path.endswith(api)]
        if len(matches) != 1:
            raise ValueError(f"unknown or ambiguous API {api!r}")
        return matches[0]

    # -- request handling ----------------------------------------------------------

    def handle(self, method, path, query, raw_body, content_type=""):
        """(status, content type, body bytes) for one request."""
        name = ROUTES.get(path)
        with self._lock:
            self._calls[name or path] += 1
        if self._down:
            return 503, "text/html", b"<html><body>503 Service Temporarily Unavailable</body></html>"
        if name is None or method != ("GET" if name in ("token", "jscode2session") else "POST"):
            return 404, "text/html", b"<html><body>404 Not Found</body></html>"
        with self._lock:
            fault = self._take_fault(name)
        if fault and fault.delay:
            self._stopping.wait(fault.delay)
        if fault and fault.status:
            return fault.status, "text/html", f"<html><body>{fault.status}</body></html>".encode()
        if fault and fault.errcode is not None:
            answer = _error(fault.errcode)
        else:
            answer = self._answer(name, query, raw_body, content_type)
        if isinstance(answer, bytes):
            return 200, "image/png", answer
        return 200, JSON_TYPE, json.dumps(answer, ensure_ascii=False).encode("utf-8")

    def _answer(self, name, query, raw_body, content_type=""):
        if name == "img_sec_check":
            return self._img_sec_check(query, _form_file(raw_body, content_type, "media"))
        try:
            body = json.loads(raw_body) if raw_body else {}
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return _error(47001)
        return getattr(self, "_" + name)(query, body)

    def _take_fault(self, name):
        fault = self._faults.get(name)
        if fault and fault.after > 0:
            fault.after -= 1
            return None
        if fault and fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                del self._faults[name]
        return fault

    def _check_app(self, query):
        if query.get("appid") != self.appid:
            return _error(40013)
        if query.get("secret") != self.secret:
            return _error(40125)
        return None

    # -- access tokens -------------------------------------------------------------

    def _check_token(self, query):
        if "access_token" not in query:
            return _error(41001)
        with self._lock:
            token = self._tokens.get(query["access_token"])
            if token is not None and self._now() < token.valid_until:
                return None
        return _error(42001 if token is not None and not token.retired else 40001)

    def _issue(self, kind):
        token = secrets.token_urlsafe(48)
        self._tokens[token] = _Token(kind, self._now() + TOKEN_LIFE)
        return token

    def _retire(self, token, within):
        token.valid_until, token.retired = min(token.valid_until, self._now() + within), True

    def _token(self, query, body):
        if query.get("grant_type") != "client_credential":
            return _error(40002)
        refused = self._check_app(query)
        if refused:
            return refused
        with self._lock:
            now = self._now()
            for token in self._tokens.values():
                if token.kind == "token" and token.valid_until > now:
                    self._retire(token, TOKEN_OVERLAP)
            return {"access_token": self._issue("token"), "expires_in": TOKEN_LIFE}

    def _stable_token(self, query, body):
        if body.get("grant_type") != "client_credential":
            return _error(40002)
        refused = self._check_app(body)
        if refused:
            return refused
        force = body.get("force_refresh", False)
        if not isinstance(force, bool):
            return _error(47001)
        with self._lock:
            now = self._now()
            current = self._tokens.get(self._stable) if self._stable else None
            self._forced = [at for at in self._forced if at > now - 86400]
            left = current.valid_until - now if current else 0
            recently_forced = bool(self._forced) and now - self._forced[-1] < FORCED_SPACING
            # A forced refresh within 30 s of the last one "is not refreshed": the current token comes back.
            if left > TOKEN_OVERLAP and not force or left > 0 and force and recently_forced:
                return {"access_token": self._stable, "expires_in": int(left)}
            if force:
                if len(self._forced) >= FORCED_PER_DAY:
                    return _error(45009)
                self._forced.append(now)
                if current:
                    self._retire(current, 0)
            self._stable = self._issue("stable")
            return {"access_token": self._stable, "expires_in": TOKEN_LIFE}

    def _jscode2session(self, query, body):
        if query.get("grant_type") != "authorization_code":
            return _error(40002)
        refused = self._check_app(query)
        if refused:
            return refused
        code = query.get("js_code", "")
        with self._lock:
            if code in self._used_codes:
                return _error(40163)
            if code in self._codes:
                self._used_codes.add(code)
                openid, session_key, unionid = self._codes[code]
            elif self.auto_codes and code:
                # demo: reusable, so a demo user can log in again with the same made-up code
                openid, session_key, unionid = "o" + _digest(code)[:27], _new_session_key(), None
            else:
                return _error(40029)
        answer = {"openid": openid, "session_key": session_key}
        if unionid:
            answer["unionid"] = unionid
        return answer

    def _phone(self, query, body):
        refused = self._check_token(query)
        if refused:
            return refused
        code = body.get("code", "")
        with self._lock:
            phone = self._phones.pop(code, None)  # single use
        if phone is None and self.auto_codes and code:
            phone = "138" + str(int(_digest(code), 16) % 10**8).zfill(8)
        if phone is None:
            return _error(40029)
        return {"errcode": 0, "errmsg": "ok", "phone_info": {
            "phoneNumber": phone, "purePhoneNumber": phone, "countryCode": "86",
            "watermark": {"timestamp": int(time.time()), "appid": self.appid}}}

    def _wxacode(self, query, body):
        refused = self._check_token(query)
        if refused:
            return refused
        scene = body.get("scene")
        if not isinstance(scene, str) or not 0 < len(scene) <= 32:
            return _error(40169)
        page = body.get("page")
        if page is not None and (not isinstance(page, str) or page.startswith("/") or "?" in page):
            return _error(41030)   # WeChat wants a published page's path, without a leading slash or a query
        # Stand-in: a plain QR code of the scene, where WeChat draws its round mini-program
        # code (which only the WeChat app can scan) that opens `page` with this scene.
        qr = qrcode.QRCode(border=2)
        qr.add_data(scene)
        qr.make(fit=True)
        width = min(max(int(body.get("width") or 430), 280), 1280)
        qr.box_size = max(1, width // (qr.modules_count + 4))
        image = io.BytesIO()
        qr.make_image().save(image)
        return image.getvalue()

    def _subscribe(self, query, body):
        refused = self._check_token(query)
        if refused:
            return refused
        if not body.get("touser") or not body.get("template_id") or not isinstance(body.get("data"), dict):
            return _error(47003)
        with self._lock:
            if body["touser"] in self._unsubscribed:
                return _error(43101)
            self._sent.append({key: body.get(key) for key in ("touser", "template_id", "page", "data")})
            msgid = len(self._sent)
        return {"errcode": 0, "errmsg": "ok", "msgid": msgid}

    def _urllink(self, query, body):
        refused = self._check_token(query)
        if refused:
            return refused
        path, link_query = body.get("path", ""), body.get("query", "")
        if not isinstance(path, str) or path.startswith("/") or "?" in path:
            return _error(40165)   # a published page's path, without a leading slash or a query
        if not isinstance(link_query, str) or len(link_query) > 1024 or not _URL_QUERY.fullmatch(link_query):
            return _error(40212)
        if body.get("expire_type") != 1 or body.get("expire_interval") not in range(1, 31):
            return _error(85401)   # since 2023 every link expires, within 30 days
        link = f"https://wxaurl.cn/{secrets.token_urlsafe(8)}"
        with self._lock:
            self._links.append((link, path, link_query))
        return {"errcode": 0, "errmsg": "ok", "url_link": link}

    def _msg_sec_check(self, query, body):
        refused = self._check_token(query)
        if refused:
            return refused
        content, openid = body.get("content"), body.get("openid")
        if body.get("version") != 2 or body.get("scene") not in (1, 2, 3, 4) or not isinstance(content, str) \
                or not isinstance(openid, str) or not openid:
            return _error(47003)
        with self._lock:
            self._checked.append((openid, content, body["scene"]))
            risky = any(word in content for word in self._flagged_words)
        suggest, label = ("risky", 20001) if risky else ("pass", 100)
        return {"errcode": 0, "errmsg": "ok", "trace_id": secrets.token_hex(8),
                "result": {"suggest": suggest, "label": label},
                "detail": [{"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": label}]}

    def _img_sec_check(self, query, media):
        refused = self._check_token(query)
        if refused:
            return refused
        try:
            image = Image.open(io.BytesIO(media or b""))
            image.load()
        except (OSError, ValueError):
            return _error(47001)
        if image.width > 750 or image.height > 1334:
            return _error(47001)   # WeChat takes at most 750 x 1334 px
        average = image.convert("RGB").resize((1, 1)).getpixel((0, 0))
        with self._lock:
            self._checked_images.append((image.width, image.height, image.format))
            risky = any(max(abs(a - b) for a, b in zip(average, colour)) <= 24 for colour in self._flagged_colours)
        return _error(87014) if risky else {"errcode": 0, "errmsg": "ok"}


def _form_file(raw_body, content_type, field):
    """The bytes of the multipart/form-data file `field`, or None."""
    if not content_type.startswith("multipart/form-data"):
        return None
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw_body)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == field:
            return part.get_payload(decode=True)
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops bursts of connects (1 s SYN retry)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def _answer(self):
        fake = self.server.fake
        url = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, ctype, payload = fake.handle(self.command, url.path, dict(parse_qsl(url.query)), raw,
                                             self.headers.get("Content-Type", ""))
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up (its timeout ran out during an injected delay), as it may with WeChat
        if fake.verbose:  # path only: the query holds the secret and codes
            print(f"{self.command} {url.path} -> {status}", file=sys.stderr, flush=True)

    def log_message(self, format, *args):
        pass  # the default log line includes the query string, secret included


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8801)
    parser.add_argument("--appid", default="wx0000000000fake00")
    parser.add_argument("--secret", required=True)
    args = parser.parse_args(argv)
    with FakeWeChat(args.appid, args.secret, args.port, auto_codes=True,
                    host=args.host, verbose=True) as fake:
        print(f"Fake WeChat API on {fake.base_url} for appid {fake.appid} (any login code accepted)",
              flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
