package repo

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
)

type Repo struct {
	db   *sql.DB
	pool *pgxpool.Pool
	x    *sqlx.DB
}

func (r *Repo) tenant(ctx context.Context, tenant string) error {
	conn, err := r.pool.Acquire(ctx) // want "conn from Acquire is never released"
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "SET app.tenant = $1", tenant)
	return err
}

func (r *Repo) early(ctx context.Context, tenant string) error {
	c, err := r.pool.Acquire(ctx) // want "conn from Acquire is not released on every path"
	if err != nil {
		return err
	}
	if _, err := c.Exec(ctx, "SET app.tenant = $1", tenant); err != nil {
		return err
	}
	c.Release()
	return nil
}

func (r *Repo) session(ctx context.Context) error {
	conn, err := r.db.Conn(ctx) // want "conn from Conn is never closed"
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "SET statement_timeout = 1000")
	return err
}

func (r *Repo) sqlxConn(ctx context.Context) (int, error) {
	conn, err := r.x.Connx(ctx) // want "conn from Connx is never closed"
	if err != nil {
		return 0, err
	}
	var n int
	err = conn.GetContext(ctx, &n, "SELECT 1")
	return n, err
}

func (r *Repo) dropped(ctx context.Context) {
	r.pool.Acquire(ctx) // want "conn from Acquire is discarded and never released"
}

// Quiet: released with defer.
func (r *Repo) deferred(ctx context.Context) error {
	conn, err := r.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	_, err = conn.Exec(ctx, "SELECT 1")
	return err
}

// Quiet: hijacked; the *pgx.Conn now belongs to the caller.
func (r *Repo) dedicated(ctx context.Context) (*pgx.Conn, error) {
	conn, err := r.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	return conn.Hijack(), nil
}

// Quiet: returned to the caller, who releases it.
func (r *Repo) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	conn, err := r.pool.Acquire(ctx)
	return conn, err
}

// Quiet: *pgx.Conn of an acquired connection is not a second resource.
func (r *Repo) underlying(ctx context.Context) error {
	conn, err := r.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	pc := conn.Conn()
	_, err = pc.Exec(ctx, "SELECT 1")
	return err
}

// Quiet: a database/sql connection closed with defer.
func (r *Repo) closed(ctx context.Context) error {
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.PingContext(ctx)
}

// Quiet (go-sql-driver tests): the call is expected to fail with a given error.
func (r *Repo) expectCanceled(ctx context.Context) error {
	if _, err := r.db.Conn(ctx); err != context.Canceled {
		return err
	}
	return nil
}
