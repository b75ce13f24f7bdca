package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

func open(hosts []string) (*cql.Session, error) {
	cluster := cql.NewCluster(hosts...)
	cluster.DefaultIdempotence = true
	return cluster.CreateSession()
}

// Quiet: the cluster makes every query idempotent by default.
func remove(ctx context.Context, s *cql.Session, id cql.UUID) error {
	return s.Query(`DELETE FROM carts WHERE id = ?`, id).
		SetSpeculativeExecutionPolicy(&cql.SimpleSpeculativeExecution{NumAttempts: 1}).
		ExecContext(ctx)
}

func incr(ctx context.Context, s *cql.Session, id cql.UUID) error {
	return s.Query(`UPDATE cart_counts SET n = n - 1 WHERE id = ?`, id).
		Idempotent(true). // want "Idempotent\\(true\\) on a counter update"
		ExecContext(ctx)
}

func reserve(ctx context.Context, s *cql.Session, id, owner cql.UUID) (bool, error) {
	q := s.Query(`UPDATE carts SET owner = ? WHERE id = ? IF owner = null`, owner, id)
	return q.Idempotent(true).ScanCASContext(ctx) // want "Idempotent\\(true\\) on a lightweight transaction"
}
