"""A throwaway PostgreSQL server for the test session, from the machine's binaries.

``initdb`` and ``pg_ctl`` refuse to run as root, so as root the server runs as
the ``postgres`` user, in a temporary directory it owns. The server listens
only on a Unix socket in that directory: nothing on the network.

The directory is in memory (``/dev/shm``) where the machine has it: every test
database is a copy of the template, some 400 files, and creating that many files
on a disk file system that has seen many deleted (ext4 on a busy machine, where
other test runs remove theirs) took the server 0.1-0.5 s of CPU per database,
against about 0.025 s in memory. The server runs with ``fsync=off`` already, so
nothing here relied on the disk keeping anything; tests/conftest.py drops each
test's database after the test, so the memory it holds stays small.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def find_bindir() -> Path | None:
    candidates = [os.environ.get("AGENDA_TEST_PG_BINDIR", "")]
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        candidates.append(out)
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


@dataclass
class PostgresServer:
    bindir: Path
    root: Path
    port: int = 55432

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.root}&port={self.port}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run([*prefix, *command], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PostgresUnavailable(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.datadir), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-k {self.root} -c listen_addresses='' -p {self.port} -c fsync=off -c full_page_writes=off"
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.datadir),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop")


IN_MEMORY_AT_LEAST = 2 * 1024**3  # bytes free: a container's default /dev/shm (64 MB) would fill up mid-run


def _in_memory_directory() -> str | None:
    """/dev/shm when it is a directory this process may create in (Linux's tmpfs) with room to spare,
    else None: the default temporary directory."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK | os.X_OK)):
        return None
    return str(shm) if shutil.disk_usage(shm).free >= IN_MEMORY_AT_LEAST else None


def start_server() -> PostgresServer:
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailable("no PostgreSQL server binaries (initdb, pg_ctl) found")
    root = Path(tempfile.mkdtemp(prefix="agenda-pg-", dir=_in_memory_directory()))
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailable("running as root and there is no 'postgres' user to run the server") from exc
        os.chown(root, user.pw_uid, user.pw_gid)
    server = PostgresServer(bindir=bindir, root=root, port=40000 + os.getpid() % 20000)
    server.start()
    return server
