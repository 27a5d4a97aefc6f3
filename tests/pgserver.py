"""A throwaway PostgreSQL server on 127.0.0.1 for the tests whose subject is PostgreSQL.

It runs the machine's own PostgreSQL binaries (Debian's ``postgresql`` package, which
``.ci/run`` installs): ``initdb`` into a temporary folder, ``pg_ctl start`` on a free port with
trust authentication on loopback only, and ``pg_ctl stop`` at the end. As root, the server runs
as the ``postgres`` system user (PostgreSQL refuses to run as root). Without the binaries the
tests that need it skip, naming what is missing.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for path in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return path
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres() -> tuple[str, Callable[[], None]]:
    """Start a server; returns (URL of its ``postgres`` database, stop)."""
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise FileNotFoundError("PostgreSQL's initdb/pg_ctl (apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL will not run as root
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = base / "data", _free_port()
    subprocess.run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "storyline",
                    "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-w", "-l", str(base / "log"),
                    "-o", f"-k {base} -p {port} -h 127.0.0.1 -F", "start"],
                   check=True, capture_output=True)

    def stop() -> None:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)

    return f"postgresql://storyline@127.0.0.1:{port}/postgres", stop


def new_database(server_url: str) -> str:
    """A fresh, empty database on the server; its URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name
