package repo

import (
	"context"

	pgx4 "github.com/jackc/pgx/v4"
)

func touch(ctx context.Context, conn *pgx4.Conn, id int64) error {
	_, err := conn.Exec(context.Background(), "UPDATE users SET seen = now() WHERE id = $1", id) // want "Exec is given context.Background\\(\\) while ctx is in scope"
	return err
}

// Quiet: v4 with the context passed on.
func touchCtx(ctx context.Context, conn *pgx4.Conn, id int64) error {
	_, err := conn.Exec(ctx, "UPDATE users SET seen = now() WHERE id = $1", id)
	return err
}
