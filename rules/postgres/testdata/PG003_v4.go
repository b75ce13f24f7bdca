package repo

import (
	"context"
	"fmt"

	pgx4 "github.com/jackc/pgx/v4"
	pool4 "github.com/jackc/pgx/v4/pgxpool"
)

type Store struct{ db *pool4.Pool }

func (s *Store) count(ctx context.Context, tenant string) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, "SELECT count(*) FROM "+tenant+".events").Scan(&n) // want "SQL for QueryRow is built with [+] from `tenant`"
	return n, err
}

func inTx(ctx context.Context, tx pgx4.Tx, status string) error {
	sql := `UPDATE jobs SET status = '` + status + `'`
	_, err := tx.Exec(ctx, sql) // want "from `status`"
	return err
}

// Quiet: a v4 identifier quoted by pgx.
func (s *Store) drop(ctx context.Context, table string) error {
	_, err := s.db.Exec(ctx, fmt.Sprintf("DROP TABLE %s", pgx4.Identifier{table}.Sanitize()))
	return err
}
