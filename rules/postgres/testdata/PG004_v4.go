package repo

import (
	"context"

	pgx4 "github.com/jackc/pgx/v4"
)

func insertAll(ctx context.Context, conn *pgx4.Conn, names []string) error {
	tx, err := conn.Begin(ctx) // want "tx from Begin is not rolled back when the function returns early"
	if err != nil {
		return err
	}
	for _, name := range names {
		if _, err := tx.Exec(ctx, "INSERT INTO names VALUES ($1)", name); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	return nil
}

// Quiet: v4 with the deferred Rollback.
func insertOne(ctx context.Context, conn *pgx4.Conn, name string) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "INSERT INTO names VALUES ($1)", name); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
