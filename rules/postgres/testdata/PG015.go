package repo

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Repo struct {
	pool *pgxpool.Pool
	db   *sql.DB
	tx   pgx.Tx
}

func queue(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, "SELECT id FROM orders WHERE status = 'new'")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE orders SET status = 'queued' WHERE id = $1", id); err != nil { // want "Exec on tx while rows from the same connection are still open"
			return err
		}
	}
	return rows.Err()
}

func totals(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx, "SELECT id FROM customers")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, total int64
		_ = rows.Scan(&id)
		if err := conn.QueryRow(ctx, "SELECT sum(amount) FROM orders WHERE customer_id = $1", id).Scan(&total); err != nil { // want "QueryRow on conn while rows"
			return err
		}
	}
	return rows.Err()
}

func (r *Repo) field(ctx context.Context) error {
	rows, err := r.tx.Query(ctx, "SELECT id FROM jobs")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r.tx.Exec(ctx, "DELETE FROM locks") // want "Exec on r.tx while rows"
	}
	return rows.Err()
}

func sqlTx(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT id FROM users")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET seen = true WHERE id = $1", id); err != nil { // want "ExecContext on tx while rows"
			return err
		}
	}
	return rows.Err()
}

// Quiet: a pool hands the inner query another connection.
func (r *Repo) pooled(ctx context.Context) error {
	rows, err := r.pool.Query(ctx, "SELECT id FROM orders")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		if _, err := r.pool.Exec(ctx, "UPDATE orders SET seen = true WHERE id = $1", id); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Quiet: *sql.DB is a pool too.
func (r *Repo) sqlPool(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT id FROM orders")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if _, err := r.db.ExecContext(ctx, "SELECT 1"); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Quiet: the inner query runs on another transaction.
func twoTx(ctx context.Context, read, write pgx.Tx) error {
	rows, err := read.Query(ctx, "SELECT id FROM orders")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if _, err := write.Exec(ctx, "SELECT 1"); err != nil {
			return err
		}
	}
	return rows.Err()
}
