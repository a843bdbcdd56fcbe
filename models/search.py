"""Ranked full-text search over commitments, in the database.

SQLite uses the FTS5 index (bm25), PostgreSQL the generated tsvector column
(ts_rank_cd); both are created by migration 0002. The user's words are reduced
to plain word tokens before they reach either query language, so quotes,
operators and SQL fragments in the input are just words.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlmodel import Session

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 12  # a pasted paragraph is not a query; keep the first words

# bm25 column weights, in FTS column order: title, text, section, organisations.
_SQLITE_QUERY = text(
    """
    SELECT rowid FROM commitment_fts
    WHERE commitment_fts MATCH :query
    ORDER BY bm25(commitment_fts, 8.0, 1.0, 0.5, 6.0)
    LIMIT :limit
    """
)
_POSTGRES_QUERY = text(
    """
    SELECT id FROM commitment
    WHERE search_vector @@ to_tsquery('english', :query)
    ORDER BY ts_rank_cd(search_vector, to_tsquery('english', :query)) DESC, id
    LIMIT :limit
    """
)


def tokens(words: str) -> list[str]:
    return [t.lower() for t in _WORD.findall(words)][:MAX_TOKENS]


def search_commitment_ids(*, session: Session, words: str, limit: int = 200) -> list[int]:
    """Ids of matching commitments, best first.

    All words must match; if that finds nothing, any word may. The last word
    also matches as a prefix, so "Afghan" finds "Afghanistan".
    """
    found = tokens(words)
    if not found:
        return []
    for operator in ("AND", "OR"):
        ids = _run(session, found, operator, limit)
        if ids or len(found) == 1:
            return ids
    return []


def _run(session: Session, found: list[str], operator: str, limit: int) -> list[int]:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        terms = [f'"{t}"' for t in found]
        terms[-1] += "*"
        query, statement = f" {operator} ".join(terms), _SQLITE_QUERY
    elif dialect == "postgresql":
        terms = [t for t in found]
        terms[-1] += ":*"
        query, statement = (" & " if operator == "AND" else " | ").join(terms), _POSTGRES_QUERY
    else:
        raise NotImplementedError(f"no full-text search for {dialect}")
    return [row[0] for row in session.execute(statement, {"query": query, "limit": limit})]
