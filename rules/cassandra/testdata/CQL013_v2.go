package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

func claim(ctx context.Context, s *cql.Session, slug string, owner cql.UUID) (bool, error) {
	b := s.Batch(cql.LoggedBatch).WithContext(ctx)
	b.Query(`INSERT INTO slugs (slug, owner) VALUES (?, ?) IF NOT EXISTS`, slug, owner)
	applied, iter, err := b.ExecCAS()
	defer iter.Close() // want "iter is used before the error of ExecCAS is checked"
	return applied, err
}

// Quiet: checked in the if that declares it.
func release(ctx context.Context, s *cql.Session, slug string) (bool, error) {
	b := s.Batch(cql.LoggedBatch).WithContext(ctx)
	b.Query(`DELETE FROM slugs WHERE slug = ? IF EXISTS`, slug)
	if applied, iter, err := b.ExecCAS(); err != nil {
		return false, err
	} else {
		return applied, iter.Close()
	}
}
