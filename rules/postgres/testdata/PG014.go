package repo

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Repo struct{ pool *pgxpool.Pool }

func (r *Repo) insertAll(ctx context.Context, names []string) error {
	b := &pgx.Batch{}
	for _, n := range names {
		b.Queue("INSERT INTO names VALUES ($1)", n)
	}
	br := r.pool.SendBatch(ctx, b) // want "results from SendBatch are never closed"
	for range names {
		if _, err := br.Exec(); err != nil {
			return err
		}
	}
	return nil
}

func inTx(ctx context.Context, tx pgx.Tx, b *pgx.Batch, n int) error {
	results := tx.SendBatch(ctx, b) // want "results from SendBatch are not closed on every path"
	for i := 0; i < n; i++ {
		if _, err := results.Exec(); err != nil {
			return err
		}
	}
	return results.Close()
}

func fireAndForget(ctx context.Context, conn *pgx.Conn, b *pgx.Batch) {
	conn.SendBatch(ctx, b) // want "results from SendBatch are discarded and never closed"
}

// Quiet: closed with defer.
func (r *Repo) deferred(ctx context.Context, b *pgx.Batch) error {
	br := r.pool.SendBatch(ctx, b)
	defer br.Close()
	_, err := br.Exec()
	return err
}

// Quiet: closed in the same expression.
func (r *Repo) chained(ctx context.Context, b *pgx.Batch) error {
	return r.pool.SendBatch(ctx, b).Close()
}

// Quiet: returned to the caller.
func (r *Repo) send(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	br := r.pool.SendBatch(ctx, b)
	return br
}
