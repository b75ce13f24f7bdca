package repo

import (
	"context"

	pool4 "github.com/jackc/pgx/v4/pgxpool"
)

func lock(ctx context.Context, p *pool4.Pool, key int64) error {
	conn, err := p.Acquire(ctx) // want "conn from Acquire is never released"
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "SELECT pg_advisory_lock($1)", key)
	return err
}

// Quiet: v4, released with defer.
func unlock(ctx context.Context, p *pool4.Pool, key int64) error {
	conn, err := p.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	_, err = conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", key)
	return err
}
