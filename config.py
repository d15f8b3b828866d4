"""Configuration read from the environment, with a safe embedded default (SQLite under instance/)."""
import os
import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET = "dev-only-secret-change-me"


def _database_url():
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{BASE_DIR / 'instance' / 'jiashu.db'}"
    # Heroku-style and plain postgres URLs both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


_CHECK_FILE_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}\.txt")


def check_files(setting: str) -> dict[str, str]:
    """'name.txt:content,name2.txt:content2' → {name: content}: the files WeChat hands out to prove that the
    domain of a QR rule is ours (docs/deployment.md). A malformed setting stops the app from starting."""
    files = {}
    for entry in filter(None, (part.strip() for part in setting.split(","))):
        name, _, content = entry.partition(":")
        if not _CHECK_FILE_NAME.fullmatch(name) or not content or any(c.isspace() for c in content):
            raise ValueError(f"WECHAT_CHECK_FILES: write each file as <name>.txt:<content>, not {entry!r}.")
        files[name] = content
    return files


def one_of(name: str, default: str, choices: tuple[str, ...]) -> str:
    """The setting `name` from the environment, which must be one of `choices`: any other value stops the app."""
    value = os.environ.get(name, default)
    if value not in choices:
        raise ValueError(f"{name}: one of {', '.join(choices)}, not {value!r}.")
    return value


def flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).lower() not in ("0", "false", "no", "off")


class Config:
    ENV_NAME = os.environ.get("JIASHU_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = _database_url()
    REDIS_URL = os.environ.get("REDIS_URL")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    WECHAT_APPID = os.environ.get("WECHAT_APPID", "")
    WECHAT_SECRET = os.environ.get("WECHAT_SECRET", "")
    # Points wechatpy at another host (the loopback fake WeChat in tests and the demo).
    WECHAT_API_BASE = os.environ.get("WECHAT_API_BASE")
    # Production refuses a WECHAT_API_BASE on loopback or plain HTTP (a fake signs anyone in), except for the
    # benchmarks, which run production mode against the fake on purpose.
    WECHAT_FAKE_IN_PRODUCTION = os.environ.get("WECHAT_FAKE_IN_PRODUCTION", "") == "1"
    WECHAT_TIMEOUT = float(os.environ.get("WECHAT_TIMEOUT", "5"))
    # The mini-program's message push (消息推送) settings, safe mode, JSON: WeChat pushes photo check verdicts to
    # PUBLIC_BASE_URL + /wechat/push, and fetches the photos from PUBLIC_BASE_URL (which WeChat must reach).
    WECHAT_PUSH_TOKEN = os.environ.get("WECHAT_PUSH_TOKEN", "")
    WECHAT_PUSH_AES_KEY = os.environ.get("WECHAT_PUSH_AES_KEY", "")   # the EncodingAESKey: 43 characters
    # Subscribe-message templates (app/notifications/templates.py): the id of the mini-program's generic "事项提醒"
    # template (the default is an example, refused in production) and its fields, `keyword:source` where a source is
    # the notification's title, body or time; and, per notification kind, {"template_id": ..., "fields": ...}.
    WECHAT_TEMPLATE_ID = os.environ.get("WECHAT_TEMPLATE_ID", "jiashu-notice")
    WECHAT_TEMPLATE_FIELDS = os.environ.get("WECHAT_TEMPLATE_FIELDS", "thing1:title,thing2:body,time3:time")
    WECHAT_TEMPLATES: dict = {}
    # The mini-program page that link QR rules and mini-program codes open (no leading slash, as WeChat wants).
    WECHAT_SCAN_PAGE = os.environ.get("WECHAT_SCAN_PAGE", "pages/scan/index")
    # The mini-program page the console's scan-to-sign-in code opens (app/console/scan.py).
    WECHAT_CONSOLE_LOGIN_PAGE = os.environ.get("WECHAT_CONSOLE_LOGIN_PAGE", "pages/console-login/index")
    # Mini-program codes open this version of the mini-program (getwxacodeunlimit's env_version), and WeChat draws
    # them only for a page of the released version (check_path, else 41030). Before the first release: trial (or
    # develop) with WECHAT_CODE_CHECK_PATH=false; set both back at release, and reprint what was printed meanwhile.
    WECHAT_CODE_ENV_VERSION = one_of("WECHAT_CODE_ENV_VERSION", "release", ("release", "trial", "develop"))
    WECHAT_CODE_CHECK_PATH = flag("WECHAT_CODE_CHECK_PATH", "1")
    # WeChat's check files of the "scan an ordinary link QR code" rules, served at / and under each printed prefix.
    WECHAT_CHECK_FILES = check_files(os.environ.get("WECHAT_CHECK_FILES", ""))
    # A print request fetches missing mini-program codes for at most this long, then answers 503 (those fetched
    # are kept, the next try goes on); `flask print-letters` has no limit.
    WECHAT_CODES_BUDGET_SECONDS = float(os.environ.get("WECHAT_CODES_BUDGET_SECONDS", "20"))
    # A scan page waits this long for WeChat's "open in WeChat" link before it shows the page without one.
    WECHAT_URLLINK_TIMEOUT = float(os.environ.get("WECHAT_URLLINK_TIMEOUT", "2"))
    # How long a phone or a caching proxy may answer a repeated scan itself before asking again (app/web/revalidate.py).
    SCAN_MAX_AGE_SECONDS = int(os.environ.get("SCAN_MAX_AGE_SECONDS", "60"))
    # The console prints a selection of at most this many houses at once; a larger one is a job for `flask worker`
    # (app/letters/jobs.py) whose progress the page shows.
    LETTERS_DIRECT_MAX = int(os.environ.get("LETTERS_DIRECT_MAX", "100"))

    # Resident ID numbers: AES-GCM keys "kid1:base64,kid2:base64" (the first encrypts, all decrypt) and the
    # HMAC key of their blind index; both required in production, derived from SECRET_KEY otherwise.
    ID_ENCRYPTION_KEYS = os.environ.get("ID_ENCRYPTION_KEYS")
    ID_BLIND_INDEX_KEY = os.environ.get("ID_BLIND_INDEX_KEY")
    # Bump with every change to the notice text (app/residents/privacy_notice.py): registrations must
    # then accept the new version.
    PRIVACY_NOTICE_VERSION = "2026-11"

    # The residents' mini-program built for the browser (`make client`), served at /m/; None: miniprogram/dist/build/h5.
    CLIENT_H5_DIR = os.environ.get("CLIENT_H5_DIR")

    # Bearer tokens issued by /api/auth/* live this long.
    TOKEN_TTL_HOURS = int(os.environ.get("TOKEN_TTL_HOURS", "72"))
    # The staff console (app/console/): a sign-in lasts at most CONSOLE_SESSION_HOURS, and ends after
    # CONSOLE_IDLE_MINUTES without a page. Its cookie is HttpOnly, SameSite=Lax, and Secure in production.
    CONSOLE_SESSION_HOURS = int(os.environ.get("CONSOLE_SESSION_HOURS", "12"))
    CONSOLE_IDLE_MINUTES = int(os.environ.get("CONSOLE_IDLE_MINUTES", "30"))
    PERMANENT_SESSION_LIFETIME = CONSOLE_IDLE_MINUTES * 60   # the browser drops the cookie when idle, too
    CONSOLE_SCREEN_SECONDS = int(os.environ.get("CONSOLE_SCREEN_SECONDS", "30"))   # the big screen's refresh
    SESSION_COOKIE_NAME = "jiashu_console"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = ENV_NAME == "production"
    # CSRF tokens (Flask-WTF) on every console form; the token-authenticated /api and /open311 are exempt.
    WTF_CSRF_TIME_LIMIT = None   # a token lives as long as the sign-in it belongs to
    WTF_CSRF_CHECK_DEFAULT = False   # app/__init__.py checks instead, asking the request's method first
    PASSWORD_HASH_METHOD = "scrypt"
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    # Request photos, under random names (app/storage/): in an S3-compatible bucket when S3_BUCKET is set, which
    # several app servers share, else in UPLOAD_DIR on this machine (None: instance/uploads).
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR")
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")     # MinIO, OSS, COS; None: AWS itself
    S3_REGION = os.environ.get("S3_REGION", "us-east-1")
    S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID")   # None: boto3's own search (AWS_* variables, roles)
    S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY")
    S3_ADDRESSING_STYLE = os.environ.get("S3_ADDRESSING_STYLE", "path")   # OSS and COS want "virtual"
    S3_TIMEOUT = float(os.environ.get("S3_TIMEOUT", "5"))

    # Rate limits (app/web/limits.py): counted in Redis when REDIS_URL is set, so they hold across workers and
    # machines, else in each process's memory. Views take a named limit with @rate_limited("RATELIMIT_SCAN").
    RATELIMIT_ENABLED = flag("RATELIMIT_ENABLED", "1")
    RATELIMIT_LOGIN_IP = os.environ.get("RATELIMIT_LOGIN_IP", "10/minute")          # staff sign-in, per address
    RATELIMIT_LOGIN_USER = os.environ.get("RATELIMIT_LOGIN_USER", "5/minute")       # failed ones, per username
    # Per address, and carrier NAT puts many phones behind one: generous, it guards the code2session quota.
    RATELIMIT_WECHAT_LOGIN = os.environ.get("RATELIMIT_WECHAT_LOGIN", "60/minute")
    RATELIMIT_SCAN = os.environ.get("RATELIMIT_SCAN", "60/minute")
    RATELIMIT_REGISTRATION = os.environ.get("RATELIMIT_REGISTRATION", "20/hour")
    # The console's scan-to-sign-in codes, per address (an office shares one): each costs a call to WeChat.
    RATELIMIT_SCAN_SIGN_IN = os.environ.get("RATELIMIT_SCAN_SIGN_IN", "30/minute")
    # Photo uploads (each decoded and re-encoded, a wish's also checked by WeChat): per person, and per address,
    # behind which a carrier's NAT may put many phones.
    RATELIMIT_PHOTOS = os.environ.get("RATELIMIT_PHOTOS", "30/hour")
    RATELIMIT_PHOTOS_IP = os.environ.get("RATELIMIT_PHOTOS_IP", "200/hour")
    RATELIMIT_WISHES = os.environ.get("RATELIMIT_WISHES", "20/hour")   # wishes posted, per person
    # How many proxies (the load balancer) set X-Forwarded-For/-Proto in front of the app; 0 trusts none.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Idempotency-Key answers are replayed for a day; a claim whose request died frees itself after the lock.
    IDEMPOTENCY_TTL_SECONDS = 24 * 3600
    IDEMPOTENCY_LOCK_SECONDS = 120

    API_TITLE = "jiashu 家书"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    # Swagger UI is served from the swagger-ui-bundle package, never from a CDN.
    OPENAPI_SWAGGER_UI_URL = "/api/docs-static/"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearer": []}],
    }


class TestConfig(Config):
    TESTING = True
    ENV_NAME = "test"
    # Fast hashing keeps the suite quick; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # Off for the suite (its sign-ins would trip them); tests/ops turns them on where it tests them.
    RATELIMIT_ENABLED = False
