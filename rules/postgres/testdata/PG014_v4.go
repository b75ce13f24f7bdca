package repo

import (
	"context"

	pgx4 "github.com/jackc/pgx/v4"
	pool4 "github.com/jackc/pgx/v4/pgxpool"
)

func v4(ctx context.Context, p *pool4.Pool, b *pgx4.Batch) error {
	br := p.SendBatch(ctx, b) // want "results from SendBatch are never closed"
	_, err := br.Exec()
	return err
}

// Quiet: v4, closed with defer.
func v4Closed(ctx context.Context, p *pool4.Pool, b *pgx4.Batch) error {
	br := p.SendBatch(ctx, b)
	defer br.Close()
	_, err := br.Exec()
	return err
}
