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

func (r *repo) scanned(ctx context.Context) ([]cql.UUID, error) {
	sc := r.s.Query(`SELECT id FROM events`).WithContext(ctx).Iter().Scanner()
	var ids []cql.UUID
	for sc.Next() {
		var id cql.UUID
		if err := sc.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	sc.Err() // want "error from sc.Err\\(\\) is dropped"
	return ids, nil
}

// Quiet: a CAS batch returns the query's error itself (MapExecuteBatchCAS
// returns the iterator's error as err).
func (r *repo) cas(ctx context.Context, b *cql.Batch) (bool, error) {
	applied, iter, err := r.s.MapExecuteBatchCAS(b, map[string]any{})
	if iter != nil {
		_ = iter.Close()
	}
	return applied, err
}

func (r *repo) casDeferred(ctx context.Context, b *cql.Batch) (bool, error) {
	applied, iter, err := r.s.ExecuteBatchCAS(b)
	if err != nil {
		return false, err
	}
	defer iter.Close()
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
