"""A private PostgreSQL cluster in a temporary directory, for tests that restart or stop the server.

The shared server other test runs use is never touched. As root, the server's tools run as `postgres`
(initdb refuses root)."""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def bin_dir() -> Path | None:
    """The newest Debian PostgreSQL's bin directory, or None when the server is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda path: [int(n) for n in Path(path).parts[-3].split(".") if n.isdigit()])
    return Path(found[-1]).parent if found else None


class Cluster:
    """initdb + pg_ctl start on a free port of 127.0.0.1 (trust auth, fsync off); `stop` removes it all."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="jiashu-pg-"))
        self.data = self.root / "data"
        self.as_owner = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.as_owner, str(self.bindir / tool), *args], capture_output=True, text=True,
                              timeout=60)
        if done.returncode:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} {' '.join(args)} failed: {done.stderr or done.stdout}\n{tail}")

    def _pg_ctl(self, *args: str) -> None:
        # Always -l: a server started without it would keep our output pipe open.
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-t", "30", *args)

    def start(self) -> "Cluster":
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync", "--no-instructions")
        options = (f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
                   " -c fsync=off -c full_page_writes=off")
        self._pg_ctl("-o", options, "start")
        return self

    def restart(self) -> None:
        """Fast restart: every backend is terminated, open transactions roll back; returns once it accepts."""
        self._pg_ctl("-m", "fast", "restart")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._pg_ctl("-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
