package store

import (
	"context"
	"net/http"

	"github.com/gocql/gocql"
)

type Store struct {
	session *gocql.Session
}

type User struct {
	ID   gocql.UUID
	Name string
}

func (s *Store) user(ctx context.Context, id gocql.UUID) (User, error) {
	var u User
	err := s.session.Query(`SELECT id, name FROM users WHERE id = ?`, id).Scan(&u.ID, &u.Name) // want "Scan\\(\\) runs the query without ctx"
	return u, err
}

func (s *Store) touch(ctx context.Context, id gocql.UUID) error {
	q := s.session.Query(`UPDATE users SET seen = toTimestamp(now()) WHERE id = ?`, id)
	q = q.Consistency(gocql.LocalQuorum)
	return q.Exec() // want "Exec\\(\\) runs the query without ctx"
}

func (s *Store) names(w http.ResponseWriter, r *http.Request) {
	iter := s.session.Query(`SELECT name FROM users WHERE org = ?`, r.URL.Query().Get("org")).PageSize(100).Iter() // want "Iter\\(\\) runs the query without r.Context\\(\\)"
	var name string
	for iter.Scan(&name) {
		_, _ = w.Write([]byte(name + "\n"))
	}
	if err := iter.Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func (s *Store) rename(ctx context.Context, ids []gocql.UUID, name string) error {
	b := s.session.NewBatch(gocql.UnloggedBatch)
	for _, id := range ids {
		b.Query(`UPDATE users SET name = ? WHERE id = ?`, name, id)
	}
	return s.session.ExecuteBatch(b) // want "ExecuteBatch\\(\\) runs the batch without ctx"
}

// Quiet: the context is set.
func (s *Store) withContext(ctx context.Context, id gocql.UUID) (User, error) {
	var u User
	q := s.session.Query(`SELECT id, name FROM users WHERE id = ?`, id)
	q = q.WithContext(ctx)
	err := q.Scan(&u.ID, &u.Name)
	return u, err
}

// Quiet: detached work started with go.
func (s *Store) audit(ctx context.Context, id gocql.UUID) {
	go func() {
		_ = s.session.Query(`INSERT INTO audit (id) VALUES (?)`, id).Exec()
	}()
}

// Quiet: no context in scope.
func (s *Store) migrate() error {
	return s.session.Query(`CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY, name text)`).Exec()
}

// Quiet: the query comes from elsewhere (its builder may set the context).
func (s *Store) run(ctx context.Context, q *gocql.Query) error {
	return q.Exec()
}

func (s *Store) dropped(ctx context.Context, id gocql.UUID) error {
	q := s.session.Query(`DELETE FROM users WHERE id = ?`, id)
	// WithContext returns a copy: q is unchanged.
	q.WithContext(ctx)
	return q.Exec() // want "Exec\\(\\) runs the query without ctx"
}

// Quiet: replaced by a helper's query before it runs.
func (s *Store) helped(ctx context.Context, id gocql.UUID) error {
	q := s.session.Query(`DELETE FROM users WHERE id = ?`, id)
	q = withTimeout(ctx, q)
	return q.Exec()
}

func withTimeout(ctx context.Context, q *gocql.Query) *gocql.Query {
	return q.WithContext(ctx)
}
