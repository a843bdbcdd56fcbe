"""Alembic environment: runs against the engine handed over by models.db."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers every table on SQLModel.metadata)

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    raise RuntimeError("Run migrations through models.db.migrate(engine), which supplies the engine.")


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the full-text objects of revision 0002 out of autogenerate's diff."""
    if type_ == "table" and name.startswith("commitment_fts"):
        return False
    return not (type_ == "column" and name == "search_vector")


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite cannot ALTER constraints in place
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
