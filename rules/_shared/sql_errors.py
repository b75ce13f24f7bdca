"""Dropped errors that a PostgreSQL rule reports with its own message, so that
ERR003 (error-ignored) leaves them alone and each is reported once: the error
of a transaction's ``Commit`` (PG004) and of ``Scan`` on rows or a row (PG016)."""

from __future__ import annotations

from gobex.facts import Callee, Facts


def commit_error(facts: Facts, callee: Callee) -> bool:
    """``tx.Commit()`` / ``tx.Commit(ctx)`` of a database/sql, sqlx or pgx transaction."""
    return (
        callee.name == "Commit"
        and callee.receiver is not None
        and facts.has_tag(callee.receiver, "tx")
    )


def scan_error(facts: Facts, callee: Callee) -> bool:
    """``Scan`` (sqlx: ``StructScan``, ``MapScan``, ``SliceScan``) on rows or a row
    of database/sql, sqlx or pgx (model tag ``scan``)."""
    return (
        callee.receiver is not None
        and callee.spec is not None
        and "scan" in callee.spec.tags
        and (facts.has_tag(callee.receiver, "rows") or facts.has_tag(callee.receiver, "row"))
    )


def reported_by_sql_rules(facts: Facts, callee: Callee) -> bool:
    """True for a call whose dropped error a PG rule reports."""
    return commit_error(facts, callee) or scan_error(facts, callee)
