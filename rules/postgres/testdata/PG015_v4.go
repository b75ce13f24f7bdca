package repo

import (
	"context"

	pool4 "github.com/jackc/pgx/v4/pgxpool"
)

func acquired(ctx context.Context, p *pool4.Pool) error {
	conn, err := p.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	rows, err := conn.Query(ctx, "SELECT id FROM t")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		_, _ = conn.Exec(ctx, "SELECT 1") // want "Exec on conn while rows from the same connection"
	}
	return rows.Err()
}

// Quiet: the rows are read to the end before the next query.
func sequential(ctx context.Context, p *pool4.Pool) error {
	conn, err := p.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	rows, err := conn.Query(ctx, "SELECT id FROM t")
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	_, err = conn.Exec(ctx, "SELECT 1")
	return err
}
