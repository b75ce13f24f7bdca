package notify

import (
	"context"
	"database/sql"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
)

type Listener struct {
	pool *pgxpool.Pool
	db   *sql.DB
}

const listenJobs = "LISTEN jobs"

func (l *Listener) subscribe(ctx context.Context) error {
	_, err := l.pool.Exec(ctx, "LISTEN jobs") // want "LISTEN through a pool subscribes a connection the pool takes back at once"
	return err
}

func (l *Listener) subscribeSQL(ctx context.Context) error {
	_, err := l.db.ExecContext(ctx, "/* jobs */ "+listenJobs) // want "LISTEN through a pool"
	return err
}

func (l *Listener) released(ctx context.Context) error {
	conn, err := l.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	_, err = conn.Exec(ctx, "listen jobs") // want "LISTEN on conn, which goes back to the pool without waiting for notifications"
	return err
}

func (l *Listener) serve(mux *http.ServeMux, conn *pgxpool.Conn) {
	for {
		n, err := conn.Conn().WaitForNotification(context.Background()) // want "WaitForNotification\\(context.Background\\(\\)\\) in a loop cannot be stopped at shutdown"
		if err != nil {
			return
		}
		_ = n
	}
}

// Quiet: LISTEN and the wait loop on one acquired connection (pgx chat example).
func (l *Listener) run(ctx context.Context) error {
	conn, err := l.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN jobs"); err != nil {
		return err
	}
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return err
		}
	}
}

// Quiet: the connection is hijacked and dedicated to listening.
func (l *Listener) dedicated(ctx context.Context) error {
	conn, err := l.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "LISTEN jobs"); err != nil {
		conn.Release()
		return err
	}
	pc := conn.Hijack()
	go func() {
		for {
			if _, err := pc.WaitForNotification(ctx); err != nil {
				return
			}
		}
	}()
	return nil
}

// Quiet: NOTIFY through the pool is fine.
func (l *Listener) publish(ctx context.Context, payload string) error {
	_, err := l.pool.Exec(ctx, "SELECT pg_notify('jobs', $1)", payload)
	return err
}

// Quiet: a single wait with a background context, outside a loop.
func (l *Listener) once(conn *pgxpool.Conn) error {
	_, err := conn.Conn().WaitForNotification(context.Background())
	return err
}
