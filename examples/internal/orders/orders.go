// Package orders holds the domain types shared by the storage, API and worker packages.
package orders

import (
	"errors"
	"time"
)

// ErrNotFound is returned (wrapped) when an order does not exist or is not in
// the state an operation needs.
var ErrNotFound = errors.New("order not found")

// Status is the lifecycle state of an order.
type Status string

const (
	StatusPending  Status = "pending"
	StatusPaid     Status = "paid"
	StatusCanceled Status = "canceled"
)

// Order is a customer's order as stored in PostgreSQL.
type Order struct {
	ID          int64     `db:"id" json:"id"`
	CustomerID  int64     `db:"customer_id" json:"customer_id"`
	AmountCents int64     `db:"amount_cents" json:"amount_cents"`
	Currency    string    `db:"currency" json:"currency"`
	Status      Status    `db:"status" json:"status"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
}

// Event is one entry of an order's timeline (Cassandra) and of the
// order-events topic (Kafka).
type Event struct {
	OrderID int64     `json:"order_id"`
	Kind    string    `json:"kind"`
	At      time.Time `json:"at"`
	Detail  string    `json:"detail,omitempty"`
}
