"""A loopback stand-in for api.weixin.qq.com, speaking WeChat's wire format, for tests and demos."""
import argparse
import base64
import hashlib
import io
import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import qrcode
from PIL import Image
from wechatpy.crypto import PrpCrypto

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
    "/wxa/media_check_async": "media_check_async",
}

ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40013: "invalid appid",
    40029: "invalid code",
    40037: "invalid template_id",
    40097: "invalid args",
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
    40165: "invalid weapp pagepath",
    40212: "invalid query",
    85401: "invalid expire time",   # generate_urllink: an interval of 1 to 30 days
}

JSON_TYPE = "application/json; encoding=utf-8"

# The pages of the fake's released mini-program: those the app's example settings open.
RELEASED_PAGES = ("pages/scan/index", "pages/console-login/index")
ENV_VERSIONS = ("release", "trial", "develop")
# The subscribe-message template the fake's mini-program account has: the one the app's example settings name.
EXAMPLE_TEMPLATES = {"jiashu-notice": ("thing1", "thing2", "time3")}
# What each kind of template keyword takes (WeChat's subscribe-message documentation); anything else answers 47003.
_DAY = r"\d{4}年\d{1,2}月\d{1,2}日"
_CLOCK = r"\d{1,2}:\d{2}"
_FIELD_SHAPES = {kind: re.compile(shape) for kind, shape in {
    "thing": r".{1,20}",
    "number": r"(?=.{1,32}$)\d+(\.\d+)?",
    "letter": r"[A-Za-z]{1,32}",
    "symbol": r"[!-/:-@\[-`{-~]{1,5}",
    "character_string": r"[!-~]{1,32}",
    "time": rf"(({_DAY} )?{_CLOCK})(~(({_DAY} )?{_CLOCK}))?",
    "date": rf"{_DAY}( {_CLOCK})?(~{_DAY}( {_CLOCK})?)?",
    "amount": r"[¥$€£]?\d{1,10}(\.\d{1,2})?元?",
    "phone_number": r"[0-9+\-() ]{1,17}",
    "car_number": r".{1,8}",
    "name": r"[\u4e00-\u9fff·]{1,10}|[A-Za-z ]{1,20}",
    "phrase": r"[\u4e00-\u9fff]{1,5}",
}.items()}
# The characters WeChat allows in a URL Link's query.
_URL_QUERY = re.compile(r"[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*")


def _error(errcode, detail=""):
    # WeChat appends a request id to every errmsg, and to some the field at fault
    message = f"{ERRMSG.get(errcode, 'error')} {detail}".strip()
    return {"errcode": errcode, "errmsg": f"{message} rid: {secrets.token_hex(6)}"}


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
    """Threaded HTTP server on 127.0.0.1 with WeChat's token, login, phone, code, URL Link, message and media check
    APIs; media checks fetch the photo and push their verdict to the app, as WeChat does (deliver_media_checks)."""

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
        self._media_checks = []   # (trace_id, openid, media_url) not yet pushed
        # Where verdicts are pushed (the mini-program's 消息推送 settings: URL, Token, EncodingAESKey, safe mode).
        self.push_url, self.push_token, self.push_aes_key = None, None, None
        self.pushes = []   # (trace_id, suggest or None where the media could not be fetched, push answer status)
        self.deliver_after = None   # seconds after which checks are delivered on their own (the demo); None: by call
        self._faults = {}
        self._templates = dict(EXAMPLE_TEMPLATES)
        # Pages of the mini-program's released version (empty before its first release); tests may change it.
        self.released_pages = set(RELEASED_PAGES)
        self._drawn = []
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

    def add_template(self, template_id, *keywords):
        """Add a subscribe template to the mini-program's account, with its keywords (thing1, time2 ...)."""
        with self._lock:
            self._templates[template_id] = keywords

    def no_subscription(self, openid):
        """From now on messages to `openid` answer 43101."""
        with self._lock:
            self._unsubscribed.add(openid)

    def flag_text(self, word):
        """From now on msg_sec_check answers "risky" for any content containing `word`."""
        with self._lock:
            self._flagged_words.add(word)

    def flag_image(self, colour):
        """From now on media checks find risky any image whose average colour is within a few steps of `colour`
        (r, g, b): a test's red square stays red through any re-encoding."""
        with self._lock:
            self._flagged_colours.append(tuple(colour))

    @property
    def checked_images(self):
        """(width, height, format) of every image checked so far, in order."""
        with self._lock:
            return list(self._checked_images)

    @property
    def media_checks(self):
        """(trace_id, openid, media_url) of every media check asked and not yet delivered."""
        with self._lock:
            return list(self._media_checks)

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
    def drawn(self):
        """(scene, page, env_version, check_path) of every mini-program code drawn so far, in order."""
        with self._lock:
            return list(self._drawn)

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
            return 200, "image/jpeg", answer   # WeChat's codes come as JPEG, whatever the documentation's samples show
        return 200, JSON_TYPE, json.dumps(answer, ensure_ascii=False).encode("utf-8")

    def _answer(self, name, query, raw_body, content_type=""):
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
            return _error(41030)   # WeChat wants a page's path, without a leading slash or a query
        refused = self._check_code_version(page, body)
        if refused:
            return refused
        with self._lock:
            self._drawn.append((scene, page, body.get("env_version", "release"), body.get("check_path", True)))
        return _code_image(scene, body.get("width"))

    def _check_code_version(self, page, body):
        """40097 for an unknown env_version; 41030 for a page the released version lacks, unless check_path is
        false (which is how a trial or develop version gets codes before the first release)."""
        check_path, env_version = body.get("check_path", True), body.get("env_version", "release")
        if not isinstance(check_path, bool) or env_version not in ENV_VERSIONS:
            return _error(40097)
        if check_path and page is not None and page not in self.released_pages:
            return _error(41030)
        return None

    def _subscribe(self, query, body):
        refused = self._check_token(query)
        if refused:
            return refused
        if not body.get("touser") or not body.get("template_id") or not isinstance(body.get("data"), dict):
            return _error(47003)
        refused = self._check_template(body["template_id"], body["data"])
        if refused:
            return refused
        with self._lock:
            if body["touser"] in self._unsubscribed:
                return _error(43101)
            self._sent.append({key: body.get(key) for key in ("touser", "template_id", "page", "data")})
            msgid = len(self._sent)
        return {"errcode": 0, "errmsg": "ok", "msgid": msgid}

    def _check_template(self, template_id, data):
        """40037 for a template the account lacks; 47003 naming the first of its keywords whose value is missing or
        not of the keyword's kind (thing1: 1 to 20 characters)."""
        with self._lock:
            keywords = self._templates.get(template_id)
        if keywords is None:
            return _error(40037)
        for keyword in keywords:
            field = data.get(keyword)
            value = field.get("value") if isinstance(field, dict) else None
            shape = _FIELD_SHAPES[re.sub(r"\d+$", "", keyword)]
            if value is None or not shape.fullmatch(str(value)):
                return _error(47003, f"data.{keyword}.value invalid")
        return None

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

    # -- media checks (mediaCheckAsync v2 and its verdict pushed to the message push URL) --------------------

    def _media_check_async(self, query, body):
        refused = self._check_token(query)
        if refused:
            return refused
        openid, url = body.get("openid"), body.get("media_url")
        if body.get("version") != 2 or body.get("scene") not in (1, 2, 3, 4) or body.get("media_type") not in (1, 2) \
                or not isinstance(openid, str) or not openid or not isinstance(url, str) \
                or not url.startswith(("http://", "https://")):
            return _error(47001)
        trace_id = f"{secrets.token_hex(4)}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"
        with self._lock:
            self._media_checks.append((trace_id, openid, url))
        if self.deliver_after is not None:
            threading.Timer(self.deliver_after, self.deliver_media_checks).start()
        return {"errcode": 0, "errmsg": "ok", "trace_id": trace_id}

    def deliver_media_checks(self):
        """Do what WeChat does after answering media_check_async, for every check asked so far: fetch the media
        URL, judge the image, and push the verdict (encrypted, signed) to push_url. A URL that does not answer
        an image of at most 10 MB gets no push, as WeChat then sends none. Returns the pushes made."""
        with self._lock:
            pending, self._media_checks = self._media_checks, []
        made = []
        for trace_id, openid, url in pending:
            suggest = self._judge(url)
            status = self.push_media_verdict(trace_id, openid, suggest) if suggest else None
            made.append((trace_id, suggest, status))
        with self._lock:
            self.pushes.extend(made)
        return made

    def _judge(self, url):
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                media = answer.read(MEDIA_MOST + 1)
            image = Image.open(io.BytesIO(media))
            image.load()
        except (OSError, ValueError):
            return None
        if len(media) > MEDIA_MOST:
            return None
        average = image.convert("RGB").resize((1, 1)).getpixel((0, 0))
        with self._lock:
            self._checked_images.append((image.width, image.height, image.format))
            risky = any(max(abs(a - b) for a, b in zip(average, colour)) <= 24 for colour in self._flagged_colours)
        return "risky" if risky else "pass"

    def push_media_verdict(self, trace_id, openid, suggest):
        """POST the wxa_media_check event as WeChat does in safe mode with the JSON format; the HTTP status the
        push URL answered."""
        label = 20002 if suggest == "risky" else 100
        message = {"ToUserName": "gh_fake00000000", "FromUserName": openid, "CreateTime": int(time.time()),
                   "MsgType": "event", "Event": "wxa_media_check", "appid": self.appid, "trace_id": trace_id,
                   "version": 2, "errcode": 0, "errmsg": "ok", "result": {"suggest": suggest, "label": label},
                   "detail": [{"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": label,
                               "prob": 90}]}
        encrypted = PrpCrypto(base64.b64decode(self.push_aes_key + "=")).encrypt(
            json.dumps(message, ensure_ascii=False), self.appid).decode()
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        query = urlencode({"signature": _signed(self.push_token, timestamp, nonce), "timestamp": timestamp,
                           "nonce": nonce, "openid": openid, "encrypt_type": "aes",
                           "msg_signature": _signed(self.push_token, timestamp, nonce, encrypted)})
        body = json.dumps({"ToUserName": "gh_fake00000000", "Encrypt": encrypted}).encode()
        request = urllib.request.Request(f"{self.push_url}?{query}", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status
        except urllib.error.HTTPError as refused:
            return refused.code


def _code_image(scene, width):
    """Stand-in for a mini-program code: a plain QR code of the scene, where WeChat draws its round code (which only
    the WeChat app can scan), as a JPEG as WeChat sends."""
    qr = qrcode.QRCode(border=2)
    qr.add_data(scene)
    qr.make(fit=True)
    width = min(max(int(width or 430), 280), 1280)
    qr.box_size = max(1, width // (qr.modules_count + 4))
    image = io.BytesIO()
    qr.make_image().get_image().convert("RGB").save(image, "JPEG", quality=90)
    return image.getvalue()


MEDIA_MOST = 10 * 1024 * 1024   # what mediaCheckAsync fetches at most


def _signed(*parts):
    """WeChat's signature of a push: SHA-1 of its parts sorted and joined."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


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
    parser.add_argument("--push-url", help="the app's message push URL, where photo check verdicts go")
    parser.add_argument("--push-token", help="the push Token (WECHAT_PUSH_TOKEN)")
    parser.add_argument("--push-aes-key", help="the push EncodingAESKey (WECHAT_PUSH_AES_KEY)")
    args = parser.parse_args(argv)
    with FakeWeChat(args.appid, args.secret, args.port, auto_codes=True,
                    host=args.host, verbose=True) as fake:
        if args.push_url:
            fake.push_url, fake.push_token, fake.push_aes_key = args.push_url, args.push_token, args.push_aes_key
            fake.deliver_after = 2.0   # WeChat takes seconds to minutes
        print(f"Fake WeChat API on {fake.base_url} for appid {fake.appid} (any login code accepted)",
              flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
