"""The whole state in one portable file, and back: SQLite ↔ PostgreSQL.

A backup is JSON (gzip-compressed when the file name ends in .gz): the schema
revision it was taken at, and every row of every table the models declare, in
foreign-key order. Values are written as JSON types, dates and times in ISO
8601; the column types of the target decide how they are read back, so the
same file restores into either database.

Derived data is not carried: the full-text index (an FTS5 table filled by
triggers on SQLite, a generated column on PostgreSQL) rebuilds itself as the
rows go in. Restoring goes into an empty, migrated database only: it never
merges with or overwrites an agenda that is already there.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Date, DateTime, Integer, Table, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import models.tables  # noqa: F401 - registers every table in SQLModel.metadata
from models.db import migrate

FORMAT = "agenda-bot backup"
VERSION = 1
# Tables a migration fills in (one counter row): replaced by the backup's copy.
FILLED_BY_MIGRATIONS = {"revision"}


class BackupError(Exception):
    """A backup that cannot be restored here; the message says why and what to do."""


def tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)  # parents before children


def backup(engine: Engine, path: Path, *, now: datetime) -> dict[str, int]:
    """Write everything to `path`; returns rows written per table."""
    with engine.connect() as connection:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "schema": _schema_revision(connection),
            "dialect": engine.dialect.name,
            "created_at": now.isoformat(),
            "tables": {
                table.name: {
                    "columns": [column.name for column in table.columns],
                    "rows": [[_to_json(value) for value in row] for row in _rows(connection, table)],
                }
                for table in tables()
            },
        }
    _write(path, document)
    return {name: len(content["rows"]) for name, content in document["tables"].items()}


def restore(engine: Engine, path: Path) -> dict[str, int]:
    """Load a backup into the database behind `engine` (migrated here first); returns rows per table."""
    document = _read(path)
    migrate(engine)
    with engine.begin() as connection:
        here = _schema_revision(connection)
        if document["schema"] != here:
            raise BackupError(
                f"the backup was taken at schema revision {document['schema']}, this database is at {here}: "
                "restore with the agenda-bot version that took it, or upgrade that installation first."
            )
        _refuse_unless_empty(connection)
        counts = {}
        for table in tables():
            content = document["tables"].get(table.name, {"columns": [], "rows": []})
            counts[table.name] = _insert(connection, table, content)
        if connection.dialect.name == "postgresql":
            _advance_sequences(connection)
    return counts


def _rows(connection: Connection, table: Table) -> Iterator[tuple]:
    primary = list(table.primary_key.columns)
    yield from connection.execute(select(*table.columns).order_by(*primary))


def _insert(connection: Connection, table: Table, content: dict) -> int:
    unknown = set(content["columns"]) - {column.name for column in table.columns}
    if unknown:
        raise BackupError(f"table {table.name} in the backup has columns this version does not know: {unknown}")
    columns = [table.columns[name] for name in content["columns"]]
    rows = [
        {column.name: _from_json(column, value) for column, value in zip(columns, row, strict=True)}
        for row in content["rows"]
    ]
    if table.name in FILLED_BY_MIGRATIONS:
        connection.execute(table.delete())
    for start in range(0, len(rows), 1000):
        connection.execute(table.insert(), rows[start : start + 1000])
    return len(rows)


def _refuse_unless_empty(connection: Connection) -> None:
    occupied = [
        table.name
        for table in tables()
        if table.name not in FILLED_BY_MIGRATIONS
        and connection.execute(select(func.count()).select_from(table)).scalar()
    ]
    if occupied:
        raise BackupError(
            "restore goes into an empty database, and this one holds data "
            f"({', '.join(occupied[:5])}{'…' if len(occupied) > 5 else ''}). Point DATABASE_URL at a new database "
            "(and start nothing against it before the restore: the bot seeds an empty database on start)."
        )


def _advance_sequences(connection: Connection) -> None:
    """Rows came in with their ids; the next id PostgreSQL hands out must follow the largest."""
    for table in tables():
        id_column = table.columns.get("id")
        if id_column is None or not isinstance(id_column.type, Integer):
            continue
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}).scalar()
        if sequence:
            connection.execute(
                text(f"SELECT setval(:s, COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"),
                {"s": sequence},
            )


def _schema_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value  # str, int, float, bool, None, and JSON columns' dicts and lists


def _from_json(column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime) or "DateTime" in type(column.type).__name__:
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # stored as UTC
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def _write(path: Path, document: dict) -> None:
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    temporary = path.with_name(path.name + ".partial")  # a crash mid-write never leaves a truncated backup
    temporary.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    temporary.replace(path)


def _read(path: Path) -> dict:
    raw = path.read_bytes()
    try:
        document = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} is not an agenda-bot backup: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not an agenda-bot backup")
    if document.get("version") != VERSION:
        raise BackupError(f"{path} is a backup of format version {document.get('version')}; this reads {VERSION}")
    return document
