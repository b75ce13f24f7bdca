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

func (r *Repo) transfer(ctx context.Context, from, to int64, amount int) error {
	tx, err := r.db.BeginTx(ctx, nil) // want "tx from BeginTx is not rolled back when the function returns early"
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance - $1 WHERE id = $2", amount, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", amount, to); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (r *Repo) archive(ctx context.Context, id int64) error {
	tx, err := r.pool.Begin(ctx) // want "tx from Begin is not rolled back when the function returns early"
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, "SELECT id FROM items WHERE order_id = $1", id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var item int64
		if err := rows.Scan(&item); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

func (r *Repo) never(ctx context.Context) error {
	t, err := r.x.Beginx() // want "t from Beginx is never committed or rolled back"
	if err != nil {
		return err
	}
	_, err = t.Exec("DELETE FROM sessions")
	return err
}

func (r *Repo) dropped(ctx context.Context) error {
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "DELETE FROM carts"); err != nil {
		return err
	}
	tx.Commit(ctx) // want "error from tx.Commit\\(\\) is dropped"
	return nil
}

func (r *Repo) blanked(ctx context.Context) {
	tx := r.x.MustBegin()
	defer func() { _ = tx.Rollback() }()
	tx.MustExec("DELETE FROM carts")
	_ = tx.Commit() // want "error from tx.Commit\\(\\) is dropped"
}

// Quiet: the documented idiom.
func (r *Repo) deferred(ctx context.Context) error {
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "DELETE FROM carts"); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Quiet: every early return rolls back first.
func (r *Repo) explicit(ctx context.Context) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM carts"); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return nil
}

// Quiet: a deferred closure decides between Commit and Rollback.
func (r *Repo) closure(ctx context.Context) (err error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			return
		}
		err = tx.Commit()
	}()
	_, err = tx.ExecContext(ctx, "DELETE FROM carts")
	return err
}

// Quiet: a deferred helper finishes the transaction.
func (r *Repo) helper(ctx context.Context) (err error) {
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer finish(ctx, tx, &err)
	_, err = tx.Exec(ctx, "DELETE FROM carts")
	return err
}

func finish(ctx context.Context, tx pgx.Tx, err *error) {
	if *err != nil {
		_ = tx.Rollback(ctx)
		return
	}
	*err = tx.Commit(ctx)
}

// Quiet: a local helper rolls back before the early return.
func (r *Repo) rollbackHelper(ctx context.Context) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM carts"); err != nil {
		rollback(tx)
		return err
	}
	return tx.Commit()
}

func rollback(tx *sql.Tx) {
	_ = tx.Rollback()
}

// Quiet: the caller owns the transaction.
func (r *Repo) begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return tx, nil
}
