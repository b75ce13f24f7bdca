"""Cassandra rules: gocql v1 (github.com/gocql/gocql, scylladb/gocql) and v2
(github.com/apache/cassandra-gocql-driver/v2)."""

CQL_PACKAGES = ("gocql",)
