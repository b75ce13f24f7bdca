package repo

import (
	"context"
	"database/sql"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
)

type Repo struct {
	db   *sql.DB
	pool *pgxpool.Pool
	x    *sqlx.DB
}

func (r *Repo) count(ctx context.Context) (int, error) {
	var n int
	err := r.db.QueryRow("SELECT count(*) FROM users").Scan(&n) // want "QueryRow ignores the context in scope: use QueryRowContext\\(ctx, ...\\)"
	return n, err
}

func (r *Repo) handler(w http.ResponseWriter, req *http.Request) {
	if _, err := r.db.Exec("DELETE FROM sessions WHERE id = $1", req.URL.Query().Get("id")); err != nil { // want "use ExecContext\\(req.Context\\(\\), ...\\)"
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func (r *Repo) begin(ctx context.Context) error {
	tx, err := r.db.Begin() // want "Begin ignores the context in scope: use BeginTx"
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	return tx.Commit()
}

func (r *Repo) names(ctx context.Context) ([]string, error) {
	var names []string
	err := r.x.Select(&names, "SELECT name FROM users") // want "Select ignores the context in scope: use SelectContext"
	return names, err
}

func (r *Repo) background(ctx context.Context) (int, error) {
	var n int
	err := r.pool.QueryRow(context.Background(), "SELECT count(*) FROM users").Scan(&n) // want "QueryRow is given context.Background\\(\\) while ctx is in scope"
	return n, err
}

func (r *Repo) todo(ctx context.Context, id int64) error {
	_, err := r.db.ExecContext(context.TODO(), "DELETE FROM users WHERE id = $1", id) // want "ExecContext is given context.TODO\\(\\)"
	return err
}

func (r *Repo) derived(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, 0)
	defer cancel()
	_, err := r.db.Exec("VACUUM") // want "Exec ignores the context in scope"
	_ = ctx
	return err
}

// Quiet: the Context variants.
func (r *Repo) withContext(ctx context.Context) error {
	_, err := r.db.ExecContext(ctx, "DELETE FROM sessions")
	return err
}

// Quiet: no context anywhere in reach.
func (r *Repo) noContext() error {
	_, err := r.db.Exec("DELETE FROM sessions")
	return err
}

// Quiet: the only context is a root one; nothing to propagate.
func (r *Repo) rootOnly() error {
	ctx := context.Background()
	_, err := r.pool.Exec(ctx, "DELETE FROM sessions")
	if err != nil {
		return err
	}
	_, err = r.db.Exec("DELETE FROM sessions")
	return err
}

// Quiet: detached work in a goroutine outlives the request on purpose.
func (r *Repo) detached(ctx context.Context, id int64) {
	go func() {
		_, _ = r.pool.Exec(context.Background(), "UPDATE stats SET hits = hits + 1 WHERE id = $1", id)
		_, _ = r.db.Exec("DELETE FROM sessions")
	}()
}

// Quiet: rollback must run even when the request is cancelled.
func (r *Repo) cleanup(ctx context.Context) error {
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(ctx, "DELETE FROM sessions"); err != nil {
		_ = tx.Rollback(context.Background())
		return err
	}
	return tx.Commit(ctx)
}

// Quiet: a timeout made from Background for one call is not a request context.
func connect(url string) (*pgxpool.Pool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5)
	defer cancel()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	if _, err := pool.Exec(context.Background(), "SET search_path TO app"); err != nil {
		return nil, err
	}
	return pool, nil
}
