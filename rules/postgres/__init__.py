"""PostgreSQL rules: database/sql, sqlx, lib/pq, pgx v4/v5, pgxpool."""

# Model ids of every package through which Go code talks to PostgreSQL.
SQL_PACKAGES = ("database/sql", "sqlx", "pgx", "pgxpool", "pq")
