package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

func owner(ctx context.Context, s *cql.Session, id cql.UUID) string {
	var name string
	s.Query(`SELECT owner FROM carts WHERE id = ?`, id).ScanContext(ctx, &name) // want "error of ScanContext is dropped"
	return name
}

// Quiet: checked.
func remove(ctx context.Context, s *cql.Session, id cql.UUID) error {
	if err := s.Query(`DELETE FROM carts WHERE id = ?`, id).ExecContext(ctx); err != nil {
		return err
	}
	return nil
}
