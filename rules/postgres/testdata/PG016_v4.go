package repo

import (
	"context"

	pgx4 "github.com/jackc/pgx/v4"
)

func countV4(ctx context.Context, conn *pgx4.Conn) (int, error) {
	var n int
	conn.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n) // want "error from QueryRow\\(...\\).Scan\\(\\) is dropped"
	return n, nil
}

// Quiet: v4, checked.
func countV4Checked(ctx context.Context, conn *pgx4.Conn) (int, error) {
	var n int
	err := conn.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
