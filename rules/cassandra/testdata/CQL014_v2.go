package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

func store(ctx context.Context, s *cql.Session, ids []cql.UUID) error {
	b := s.Batch(cql.UnloggedBatch)
	b.Cons = cql.Any // want "consistency ANY acknowledges a write"
	for _, id := range ids[:2] {
		b.Query(`INSERT INTO seen (id) VALUES (?)`, id)
	}
	return b.ExecContext(ctx)
}

func audit(ctx context.Context, s *cql.Session, id cql.UUID) error {
	return s.Query(`INSERT INTO audit (id) VALUES (?)`, id).Consistency(cql.All).ExecContext(ctx) // want "consistency ALL in audit, which serves a request"
}
