// gobex:select PG005,CQL007

package repo

import (
	"context"
	"net/http"

	"github.com/gocql/gocql"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Repo struct {
	pool    *pgxpool.Pool
	session *gocql.Session
}

// Reported once, by PG005 (query-without-context): CON013 leaves the context
// argument of database/sql, sqlx and pgx calls to it.
func (r *Repo) Count(ctx context.Context) (n int, err error) {
	err = r.pool.QueryRow(context.Background(), "SELECT count(*) FROM orders").Scan(&n)
	return n, err
}

// Quiet for both: a pgx release call in a defer.
func (r *Repo) Update(ctx context.Context) error {
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(ctx, "UPDATE orders SET seen = true"); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Reported once, by CON013: CQL007 reports queries without WithContext, and
// this one has one (with the wrong context).
func (r *Repo) User(req *http.Request, id string) (name string, err error) {
	err = r.session.Query(`SELECT name FROM users WHERE id = ?`, id).
		WithContext(context.Background()). // want `context.Background\(\) while req.Context\(\) is in scope`
		Scan(&name)
	return name, err
}
