package repo

import (
	"context"
	"database/sql"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
)

type Repo struct {
	db   *sql.DB
	pool *pgxpool.Pool
	hc   *http.Client
}

func (r *Repo) items(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		rows, err := r.db.QueryContext(ctx, "SELECT sku FROM items WHERE order_id = $1", id)
		if err != nil {
			return err
		}
		defer rows.Close() // want "`defer rows.Close\\(\\)` inside a loop runs only when the function returns"
		for rows.Next() {
		}
	}
	return nil
}

func (r *Repo) perTenant(ctx context.Context, tenants []string) error {
	for _, tenant := range tenants {
		conn, err := r.pool.Acquire(ctx)
		if err != nil {
			return err
		}
		defer conn.Release() // want "`defer conn.Release\\(\\)` inside a loop"
		if _, err := conn.Exec(ctx, "SET app.tenant = $1", tenant); err != nil {
			return err
		}
	}
	return nil
}

func (r *Repo) batches(ctx context.Context, batches [][]int64) error {
	for i := 0; i < len(batches); i++ {
		tx, err := r.pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) // want "`defer tx.Rollback\\(ctx\\)` inside a loop"
		if err := tx.Commit(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (r *Repo) fetch(urls []string) error {
	for _, u := range urls {
		resp, err := r.hc.Get(u)
		if err != nil {
			return err
		}
		defer func() { // want "`defer resp.Body.Close\\(\\)` inside a loop"
			_ = resp.Body.Close()
		}()
	}
	return nil
}

func (r *Repo) prepared(ctx context.Context, queries []string) error {
	for _, q := range queries {
		stmt, err := r.db.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		if true {
			defer stmt.Close() // want "`defer stmt.Close\\(\\)` inside a loop"
		}
	}
	return nil
}

// Quiet: the defer runs at the end of each iteration's func literal.
func (r *Repo) scoped(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		err := func() error {
			rows, err := r.db.QueryContext(ctx, "SELECT sku FROM items WHERE order_id = $1", id)
			if err != nil {
				return err
			}
			defer rows.Close()
			return rows.Err()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// Quiet: deferred after the loop.
func (r *Repo) after(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// Quiet: a deferred call that releases nothing.
func (r *Repo) logged(ctx context.Context, ids []int64, done func(int64)) {
	for _, id := range ids {
		defer done(id)
		defer r.hc.CloseIdleConnections()
	}
}

// Quiet (x/crypto acme): the block returns right after the defer.
func (r *Repo) retry(urls []string) (*http.Response, error) {
	for _, u := range urls {
		resp, err := r.hc.Get(u)
		if err != nil {
			continue
		}
		if resp.StatusCode != http.StatusOK {
			defer resp.Body.Close()
			return nil, err
		}
		return resp, nil
	}
	return nil, nil
}
