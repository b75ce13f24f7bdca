package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gobex-dev/orders-example/internal/orders"
)

// StaleOrders finds and cancels pending orders (postgres.OrderRepo).
type StaleOrders interface {
	StalePending(ctx context.Context, cutoff time.Time, limit int) ([]int64, error)
	Cancel(ctx context.Context, id int64) error
}

// Expirer cancels orders that stayed pending (unpaid) for longer than MaxAge.
type Expirer struct {
	Orders  StaleOrders
	MaxAge  time.Duration
	Batch   int
	Timeout time.Duration // for one run
}

// RunOnce cancels one batch of stale orders.
func (e *Expirer) RunOnce(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, e.Timeout)
	ids, err := e.Orders.StalePending(ctx, time.Now().Add(-e.MaxAge), e.Batch)
	if err != nil {
		return fmt.Errorf("expire: %w", err)
	}
	for _, id := range ids {
		// Paid in the meantime: the conditional update matches nothing.
		if err := e.Orders.Cancel(ctx, id); err != nil && !errors.Is(err, orders.ErrNotFound) {
			return fmt.Errorf("expire order %d: %w", id, err)
		}
	}
	cancel()
	return nil
}
