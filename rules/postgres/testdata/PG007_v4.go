package jobs

import (
	"context"

	pgx4 "github.com/jackc/pgx/v4"
)

func process(ctx context.Context, url string, ids []int64) error {
	conn, err := pgx4.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	go func() { // want "conn \\(\\*pgx.Conn\\) is used by a goroutine and by the code that starts it"
		_, _ = conn.Exec(ctx, "UPDATE jobs SET heartbeat = now()")
	}()
	for _, id := range ids {
		if _, err := conn.Exec(ctx, "DELETE FROM jobs WHERE id = $1", id); err != nil {
			return err
		}
	}
	return nil
}

// Quiet: a CLI tool's migrator; nothing here serves requests.
type Migrator struct {
	conn *pgx4.Conn
}

func (m *Migrator) Migrate(ctx context.Context) error {
	_, err := m.conn.Exec(ctx, "CREATE TABLE IF NOT EXISTS schema_version (v int)")
	return err
}

// Quiet: sequential use in one function.
func migrate(ctx context.Context, url string) error {
	conn, err := pgx4.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "SELECT 1")
	return err
}

// Quiet: a package variable of a command-line tool, used sequentially.
var cliConn *pgx4.Conn

func run(ctx context.Context) error {
	_, err := cliConn.Exec(ctx, "VACUUM")
	return err
}

// Quiet: each goroutine connects on its own.
func fanOut(ctx context.Context, url string, n int) {
	for i := 0; i < n; i++ {
		go func() {
			conn, err := pgx4.Connect(ctx, url)
			if err != nil {
				return
			}
			defer conn.Close(ctx)
			_, _ = conn.Exec(ctx, "SELECT 1")
		}()
	}
}
