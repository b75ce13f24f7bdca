package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

type repo struct {
	s *cql.Session
}

func (r *repo) count(ctx context.Context) (int, error) {
	iter := r.s.Query(`SELECT id FROM events`).WithContext(ctx).Iter()
	n := 0
	var id cql.UUID
	for iter.Scan(&id) {
		n++
	}
	iter.Close() // want "error from iter.Close\\(\\) is dropped"
	return n, nil
}

func (r *repo) cas(ctx context.Context, b *cql.Batch) (bool, error) {
	applied, iter, err := r.s.ExecuteBatchCAS(b)
	if err != nil {
		return false, err
	}
	defer iter.Close() // want "error from iter.Close\\(\\) is dropped"
	return applied, nil
}

// Quiet: checked.
func (r *repo) checked(ctx context.Context) error {
	iter := r.s.Query(`SELECT id FROM events`).WithContext(ctx).Iter()
	if err := iter.Close(); err != nil {
		return err
	}
	return nil
}
