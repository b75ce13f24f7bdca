package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

func touch(ctx context.Context, s *cql.Session, id cql.UUID) error {
	q := s.Query(`UPDATE carts SET seen = toTimestamp(now()) WHERE id = ?`, id)
	if err := q.ExecContext(ctx); err != nil {
		q.Release()
		return err
	}
	q.Release()
	return q.ExecContext(ctx) // want "q is used after q.Release\\(\\)"
}
