package repo

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	pg "github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
)

type Repo struct {
	db   *sql.DB
	pool *pg.Pool
	x    *sqlx.DB
}

func (r *Repo) leakSQL(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1") // want "rows from QueryContext are never closed"
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	return rows.Err()
}

func (r *Repo) leakPool(ctx context.Context) (int, error) {
	rows, err := r.pool.Query(ctx, "SELECT 1") // want "rows from Query are never closed"
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, nil
}

func (r *Repo) earlyReturn(ctx context.Context, limit int) error {
	rows, err := r.x.QueryxContext(ctx, "SELECT 1") // want "rows from QueryxContext are not closed on every path"
	if err != nil {
		return err
	}
	if limit == 0 {
		return nil
	}
	rows.Close()
	return nil
}

func (r *Repo) discarded(ctx context.Context) {
	r.db.QueryContext(ctx, "DELETE FROM t") // want "rows from QueryContext are discarded and never closed"
}

func leakInTx(ctx context.Context, tx pgx.Tx) error {
	rows, _ := tx.Query(ctx, "SELECT 1") // want "rows from Query are never closed"
	for rows.Next() {
	}
	return nil
}

// Quiet: closed with defer.
func (r *Repo) deferred(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// Quiet: returned to the caller, who owns them.
func (r *Repo) returned(ctx context.Context) (*sql.Rows, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT 1")
	return rows, err
}

// Quiet: pgx.CollectRows closes the rows (the documented idiom ignores the error).
func (r *Repo) collected(ctx context.Context) ([]int, error) {
	rows, _ := r.pool.Query(ctx, "SELECT 1")
	return pgx.CollectRows(rows, pgx.RowTo[int])
}

// Quiet: handed to a helper that closes them.
func (r *Repo) helper(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	return scanAll(rows)
}

func scanAll(rows *sql.Rows) error {
	defer rows.Close()
	return nil
}

// Quiet: closed in a deferred closure.
func (r *Repo) closure(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer func() {
		_ = rows.Close()
	}()
	return nil
}

// Quiet: closed explicitly on every path, inside a loop over ids.
func (r *Repo) perID(ctx context.Context, ids []int) error {
	for _, id := range ids {
		rows, err := r.db.QueryContext(ctx, "SELECT $1", id)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		rows.Close()
	}
	return nil
}

// Quiet: stored in a struct that closes them later.
type cursor struct{ rows *sql.Rows }

func (r *Repo) open(ctx context.Context) (*cursor, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return nil, err
	}
	return &cursor{rows: rows}, nil
}

// Quiet: QueryRow returns a Row, which needs no Close.
func (r *Repo) one(ctx context.Context) (int, error) {
	var n int
	err := r.db.QueryRowContext(ctx, "SELECT 1").Scan(&n)
	return n, err
}

// Quiet (lib/pq tests): closed in the else branch of the error check.
func (r *Repo) elseBranch(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT USER")
	if err != nil {
		return err
	} else {
		rows.Close()
	}
	return nil
}

// Quiet (lib/pq tests): closed in an else-if condition.
func (r *Repo) elseIf(ctx context.Context) error {
	if rows, err := r.db.QueryContext(ctx, "select 1"); err != nil {
		return err
	} else if err := rows.Close(); err != nil {
		return err
	}
	return nil
}

// Quiet (lib/pq tests): the query is expected to fail; rows are closed when it does not.
func (r *Repo) expectFailure(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT error")
	if err == nil {
		rows.Close()
		return errUnexpected
	}
	return nil
}

// Quiet (lib/pq tests): the rows of a query expected to fail are discarded.
func (r *Repo) expectFailureDiscarded(ctx context.Context) error {
	_, err := r.db.QueryContext(ctx, "SELECT * FROM nonexistent")
	if err == nil {
		return errUnexpected
	}
	return nil
}

// Quiet (pgx tests): re-assigned in branches; closed later.
func (r *Repo) reassigned(ctx context.Context, prepared bool) error {
	var rows *sql.Rows
	var err error
	if prepared {
		rows, err = r.db.QueryContext(ctx, "SELECT 1")
	} else {
		rows, err = r.db.QueryContext(ctx, "SELECT 2")
	}
	if err != nil {
		return err
	}
	rows.Close()
	return nil
}

var errUnexpected = sql.ErrNoRows
