package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

type Events struct {
	s *cql.Session
}

func (e *Events) late(ctx context.Context, day string) error {
	b := e.s.Batch(cql.UnloggedBatch)
	b.Entries = append(b.Entries, cql.BatchEntry{Stmt: "DELETE FROM events WHERE day = ? ALLOW FILTERING", Args: []interface{}{day}}) // want "ALLOW FILTERING"
	return b.ExecContext(ctx)
}
