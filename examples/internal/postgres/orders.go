// Package postgres stores orders (pgxpool) and reads customers from the CRM
// database (database/sql with the pgx stdlib driver).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gobex-dev/orders-example/internal/orders"
)

const orderColumns = `id, customer_id, amount_cents, currency, status, created_at`

// OrderRepo stores orders in PostgreSQL.
type OrderRepo struct {
	pool *pgxpool.Pool
}

// NewOrderRepo returns a repository over pool.
func NewOrderRepo(pool *pgxpool.Pool) *OrderRepo {
	return &OrderRepo{pool: pool}
}

// Get returns one order, or an error wrapping orders.ErrNotFound.
func (r *OrderRepo) Get(ctx context.Context, id int64) (orders.Order, error) {
	rows, _ := r.pool.Query(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id)
	o, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[orders.Order])
	if errors.Is(err, pgx.ErrNoRows) {
		return orders.Order{}, fmt.Errorf("order %d: %w", id, orders.ErrNotFound)
	}
	if err != nil {
		return orders.Order{}, fmt.Errorf("get order %d: %w", id, err)
	}
	return o, nil
}

// ListByCustomer returns a customer's most recent orders, newest first.
func (r *OrderRepo) ListByCustomer(ctx context.Context, customerID int64, limit int) ([]orders.Order, error) {
	rows, err := r.pool.Query(ctx, `SELECT `+orderColumns+` FROM orders
		WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2`, customerID, limit)
	if err != nil {
		return nil, fmt.Errorf("list orders of customer %d: %w", customerID, err)
	}
	defer rows.Close()

	var list []orders.Order
	for rows.Next() {
		var o orders.Order
		if err := rows.Scan(&o.ID, &o.CustomerID, &o.AmountCents, &o.Currency, &o.Status, &o.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan order: %w", err)
		}
		list = append(list, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list orders of customer %d: %w", customerID, err)
	}
	return list, nil
}

// Create inserts a pending order and its outbox row in one transaction and
// fills in the order's ID and CreatedAt.
func (r *OrderRepo) Create(ctx context.Context, o *orders.Order) error {
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) // a no-op once Commit has succeeded

	o.Status = orders.StatusPending
	err = tx.QueryRow(ctx, `INSERT INTO orders (customer_id, amount_cents, currency, status)
		VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
		o.CustomerID, o.AmountCents, o.Currency, o.Status).Scan(&o.ID, &o.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert order: %v", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO outbox (order_id, kind) VALUES ($1, 'order.created')`, o.ID); err != nil {
		return fmt.Errorf("insert outbox row: %w", err)
	}
	return tx.Commit(ctx)
}

// MarkPaid moves a pending order to paid. It returns an error wrapping
// orders.ErrNotFound when no pending order has that id.
func (r *OrderRepo) MarkPaid(ctx context.Context, id int64) error {
	return r.transition(ctx, id, orders.StatusPending, orders.StatusPaid)
}

// Cancel moves a pending order to canceled.
func (r *OrderRepo) Cancel(ctx context.Context, id int64) error {
	return r.transition(ctx, id, orders.StatusPending, orders.StatusCanceled)
}

func (r *OrderRepo) transition(ctx context.Context, id int64, from, to orders.Status) error {
	tag, err := r.pool.Exec(ctx, `UPDATE orders SET status = $3 WHERE id = $1 AND status = $2`, id, from, to)
	if err != nil {
		return fmt.Errorf("order %d %s -> %s: %w", id, from, to, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("order %d is not %s: %w", id, from, orders.ErrNotFound)
	}
	return nil
}

// StalePending returns the ids of at most limit pending orders created
// before cutoff, oldest first.
func (r *OrderRepo) StalePending(ctx context.Context, cutoff time.Time, limit int) ([]int64, error) {
	rows, err := r.pool.Query(ctx, `SELECT id FROM orders
		WHERE status = 'pending' AND created_at < $1 ORDER BY id LIMIT $2`, cutoff, limit)
	if err != nil {
		return nil, fmt.Errorf("stale orders: %w", err)
	}
	ids := make([]int64, 0, limit)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("scan order id: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
