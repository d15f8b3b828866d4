"""gunicorn in production: `gunicorn -c gunicorn.conf.py wsgi:app`; each value can come from the environment."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# gthread, not sync: several endpoints wait on WeChat (code2session, phone numbers: up to WECHAT_TIMEOUT
# seconds) and on PostgreSQL. A sync worker idles through each wait; a gthread worker serves its other threads
# meanwhile, and keeps the balancer's keep-alive connections without holding a thread. The GIL runs one thread
# per process at a time, so there is one process per core.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
# Each thread may hold one database connection: SQLAlchemy's default pool (5 + 10 overflow) covers 4.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Each worker imports the app and opens its own database pool and Redis connections after the fork;
# connections inherited from a preloaded parent would be shared by every worker.
preload_app = False

# A worker silent this long is killed and replaced: longer than a WeChat call (5 s) or a community's
# batch of letters (a few seconds), short enough that a stuck worker does not linger.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Longer than the balancer's idle timeout for upstream connections, so gunicorn never closes one the
# balancer is about to reuse.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# A worker that decoded photos keeps the memory (the allocator holds freed pixel blocks: eight large photos at
# once took two workers to a gigabyte, never given back), so each worker is replaced after this many requests,
# the jitter keeping the workers from restarting together. A boot costs about half a second of CPU: at 5,000
# requests that is 0.1 ms a request, against 2.7 ms of work (and a restart showed as a 1 s p99 spike under wrk
# at full load). 0 turns recycling off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 10)))
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # the heartbeat file: on a slow or full disk a busy worker would look dead

# No access log: the app writes one JSON line per request (logger jiashu.request, app/ops/request_log.py)
# with the request id and without query strings, which may hold codes.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s"},
        "json_line": {"format": "%(message)s"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "generic", "stream": "ext://sys.stderr"},
        "requests": {"class": "logging.StreamHandler", "formatter": "json_line", "stream": "ext://sys.stdout"},
    },
    "root": {"level": os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        "jiashu.request": {"level": "INFO", "handlers": ["requests"], "propagate": False},
        # Quiet the libraries that speak at INFO: migrations plug-ins at boot, and flask-limiter, whose
        # breach lines name the username tried (the 429 is in the request line anyway).
        "alembic": {"level": "WARNING"},
        "flask-limiter": {"level": "WARNING"},
    },
}
