package worker

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/gobex-dev/orders-example/internal/orders"
	"github.com/gobex-dev/orders-example/internal/payments"
)

// PendingOrders lists and settles orders (postgres.OrderRepo).
type PendingOrders interface {
	StalePending(ctx context.Context, cutoff time.Time, limit int) ([]int64, error)
	MarkPaid(ctx context.Context, id int64) error
}

// Charges looks charges up at the payment provider (payments.Client).
type Charges interface {
	ChargeForOrder(ctx context.Context, orderID int64) (payments.Charge, error)
}

// Reconciler marks orders paid when the provider charged them but the API
// did not record it (a timeout between charging and the database update).
type Reconciler struct {
	Orders   PendingOrders
	Payments Charges
	Log      *slog.Logger

	Parallel   int           // provider calls in flight at most
	OlderThan  time.Duration // leave fresh orders to the API
	PerOrder   time.Duration // timeout of one order's lookup
	BatchLimit int
}

// RunOnce reconciles one batch of pending orders.
func (rc *Reconciler) RunOnce(ctx context.Context) error {
	ids, err := rc.Orders.StalePending(ctx, time.Now().Add(-rc.OlderThan), rc.BatchLimit)
	if err != nil {
		return err
	}
	rc.reconcileAll(ctx, ids)
	return nil
}

func (rc *Reconciler) reconcileAll(ctx context.Context, ids []int64) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, rc.Parallel)
	for _, id := range ids {
		go func() {
			wg.Add(1)
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			rc.reconcile(ctx, id)
		}()
	}
	wg.Wait()
}

func (rc *Reconciler) reconcile(ctx context.Context, id int64) {
	ctx, _ = context.WithTimeout(ctx, rc.PerOrder)
	charge, err := rc.Payments.ChargeForOrder(ctx, id)
	if errors.Is(err, payments.ErrNoCharge) {
		return // never charged: the expirer will cancel it
	}
	if err != nil {
		rc.Log.Warn("charge lookup failed", "order", id, "err", err)
		return
	}
	if charge.Status != "succeeded" {
		return
	}
	if err := rc.Orders.MarkPaid(ctx, id); err != nil && !errors.Is(err, orders.ErrNotFound) {
		rc.Log.Error("mark reconciled order paid", "order", id, "err", err)
		return
	}
	rc.Log.Info("order reconciled", "order", id, "charge", charge.ID)
}
