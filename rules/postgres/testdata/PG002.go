package repo

import (
	"context"
	sq "database/sql"

	"github.com/jackc/pgx/v4"
	"github.com/jackc/pgx/v4/pgxpool"
	"github.com/jmoiron/sqlx"
)

type Store struct {
	db   *sq.DB
	pool *pgxpool.Pool
	x    *sqlx.DB
}

func (s *Store) names(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() { // want "rows.Err\\(\\) is never checked after the rows.Next\\(\\) loop"
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func (s *Store) count(ctx context.Context) (int, error) {
	rs, err := s.pool.Query(ctx, "SELECT 1")
	if err != nil {
		return 0, err
	}
	defer rs.Close()
	n := 0
	for rs.Next() { // want "rs.Err\\(\\) is never checked"
		n++
	}
	return n, nil
}

func (s *Store) counted(ctx context.Context) (int, error) {
	rows, err := s.x.QueryxContext(ctx, "SELECT 1")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for i := 0; rows.Next(); i++ { // want "rows.Err\\(\\) is never checked"
		n = i
	}
	return n, nil
}

func inTx(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() { // want "rows.Err\\(\\) is never checked"
	}
	return nil
}

// Quiet: checked after the loop.
func (s *Store) checked(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// Quiet: checked in an if statement.
func (s *Store) checkedIf(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return nil
}

// Quiet: the rows go to a helper that owns them.
func (s *Store) handed(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	for rows.Next() {
		break
	}
	return finish(rows)
}

func finish(rows *sq.Rows) error {
	defer rows.Close()
	return rows.Err()
}

// Quiet: a lookalike Next on something that is not rows.
type iterator struct{ items []int }

func (i *iterator) Next() bool { return len(i.items) > 0 }

func walk(it *iterator) {
	for it.Next() {
		it.items = it.items[1:]
	}
}
