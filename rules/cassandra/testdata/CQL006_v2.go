package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

type Repo struct {
	hosts []string
}

type Order struct {
	ID    cql.UUID
	Total int64
}

func (r *Repo) save(ctx context.Context, o Order) error {
	session, err := cql.NewCluster(r.hosts...).CreateSession() // want "gocql session created in save, which serves a request"
	if err != nil {
		return err
	}
	defer session.Close()
	return session.Query(`INSERT INTO orders (id, total) VALUES (?, ?)`, o.ID, o.Total).ExecContext(ctx)
}

func (r *Repo) saveAll(orders []Order) error {
	for _, o := range orders {
		func() {
			s, err := cql.NewCluster(r.hosts...).CreateSession() // want "gocql session created inside a loop"
			if err != nil {
				return
			}
			defer s.Close()
			_ = s.Query(`INSERT INTO orders (id, total) VALUES (?, ?)`, o.ID, o.Total).Exec()
		}()
	}
	return nil
}

// Quiet: a one-off tool function without a request context.
func migrate(hosts []string) error {
	session, err := cql.NewCluster(hosts...).CreateSession()
	if err != nil {
		return err
	}
	defer session.Close()
	return session.Query(`CREATE TABLE IF NOT EXISTS orders (id uuid PRIMARY KEY, total bigint)`).Exec()
}

// Quiet: Setup runs once.
func (r *Repo) Setup(ctx context.Context) (*Store, error) {
	session, err := cql.NewCluster(r.hosts...).CreateSession()
	if err != nil {
		return nil, err
	}
	st := &Store{s: session}
	return st, nil
}

type Store struct {
	s *cql.Session
}
