"""A throwaway PostgreSQL server for the store's tests: initdb in a temporary directory, pg_ctl start on
127.0.0.1 and a free port, one fresh database per test, pg_ctl stop and rm at the end.

Debian's `postgresql` package provides the binaries (/usr/lib/postgresql/<version>/bin); PostgreSQL refuses to
run as root, so as root the server runs as the `postgres` OS user that the package creates. Missing binaries
or a missing driver are a failure, not a skip: CI installs both.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = ("PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and PATH). "
                "Install them: `apt-get update && apt-get install -y postgresql` (as root; the Debian package "
                "also creates the `postgres` OS user the server runs as).")
DRIVER_HINT = ("psycopg (the PostgreSQL driver) is not installed: `.venv/bin/pip install 'psycopg[binary]>=3.1'`; "
               "`make install` brings it when pyproject.toml's `dev` extra lists it.")


class PostgresUnavailable(RuntimeError):
    pass


def find_bindir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin that has pg_ctl and initdb, else the PATH's."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda p: _version_key(Path(p).parent.parent.name), reverse=True)
    for pg_ctl in candidates:
        bindir = Path(pg_ctl).parent
        if (bindir / "initdb").exists():
            return bindir
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    raise PostgresUnavailable(INSTALL_HINT)


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in name.split("."))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        self.bindir = find_bindir()
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise PostgresUnavailable(DRIVER_HINT) from exc
        self._as: list[str] = []
        self._owner: tuple[int, int] | None = None
        if os.geteuid() == 0:  # postgres will not run as root
            import pwd

            try:
                entry = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PostgresUnavailable("running as root but there is no `postgres` OS user; " + INSTALL_HINT) \
                    from exc
            self._as = ["runuser", "-u", "postgres", "--"]
            self._owner = (entry.pw_uid, entry.pw_gid)
        self.root = Path(tempfile.mkdtemp(prefix="passage-pg-"))  # under /tmp: reachable by the postgres user
        self.data = self.root / "data"
        self.sockets = self.root / "sock"
        self.log = self.root / "server.log"
        self.port = 0
        self._names = itertools.count(1)
        self._started = False

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as, *args], check=False, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise PostgresUnavailable(f"{' '.join(args[:2])} failed ({done.returncode}):\n{done.stdout}\n"
                                      f"{done.stderr}\n{log}")

    def start(self) -> PostgresServer:
        self.sockets.mkdir()
        if self._owner:
            for path in (self.root, self.sockets):
                os.chown(path, *self._owner)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--no-locale", "--no-sync")
        for attempt in range(3):  # the free port may be taken between the probe and the bind
            self.port = _free_port()
            options = (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off")
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log),
                          "-w", "-t", "60", "start")
                self._started = True
                return self
            except PostgresUnavailable:
                if attempt == 2:
                    raise
        return self

    def stop(self) -> None:
        try:
            if self._started:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
                self._started = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        name = f"passage_test_{next(self._names)}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
