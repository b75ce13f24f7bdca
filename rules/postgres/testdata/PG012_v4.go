package notify

import (
	"context"

	pool4 "github.com/jackc/pgx/v4/pgxpool"
)

func listenV4(ctx context.Context, p *pool4.Pool) error {
	_, err := p.Exec(ctx, `LISTEN "orders"`) // want "LISTEN through a pool"
	return err
}

// Quiet: v4 chat example shape.
func chat(ctx context.Context, p *pool4.Pool) error {
	conn, err := p.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "listen chat"); err != nil {
		return err
	}
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return err
		}
	}
}
