//go:build go1.21

package worker

import (
	"context"
	"sync"
	"testing"

	eg "golang.org/x/sync/errgroup"
)

type Order struct{ ID int64 }

type Worker struct {
	wg     sync.WaitGroup
	orders []Order
	group  *eg.Group
}

func process(ctx context.Context, id int64) error { return nil }

// Positive: the classic goroutine in a range loop.
func (w *Worker) startAll(ctx context.Context) {
	for _, o := range w.orders {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			_ = process(ctx, o.ID) // want "goroutine captures loop variable o, which all iterations share before Go 1.22"
		}()
	}
	w.wg.Wait()
}

// Positive: errgroup held in a struct field, aliased import; a log line after
// the Go call does not wait for it.
func (w *Worker) grouped(ctx context.Context, ids []int64) error {
	for i, id := range ids {
		w.group.Go(func() error {
			return process(ctx, id) // want "goroutine captures loop variable id"
		})
		println("queued", i)
	}
	return w.group.Wait()
}

// Positive: errgroup from WithContext, three-clause loop.
func fanOut(ctx context.Context, n int) error {
	g, ctx := eg.WithContext(ctx)
	for i := 0; i < n; i++ {
		g.Go(func() error {
			return process(ctx, int64(i)) // want "goroutine captures loop variable i"
		})
	}
	return g.Wait()
}

// Positive: a deferred closure sees only the last value, wherever it is in the body.
func closeAll(conns []interface{ Close() error }) {
	for _, c := range conns {
		defer func() {
			_ = c.Close() // want "deferred func captures loop variable c"
		}()
		println("opened")
	}
}

// Positive: the last statement of an if inside the loop (vet's recursion).
func (w *Worker) conditional(ctx context.Context, skip map[int64]bool) {
	for _, o := range w.orders {
		if !skip[o.ID] {
			go func() {
				_ = process(ctx, o.ID) // want "goroutine captures loop variable o"
			}()
		}
	}
}

// Positive: parallel subtests run after the loop has finished.
func TestOrders(t *testing.T) {
	cases := []Order{{ID: 1}, {ID: 2}}
	for _, tc := range cases {
		t.Run("case", func(t *testing.T) {
			t.Parallel()
			if err := process(context.Background(), tc.ID); err != nil { // want "parallel subtest captures loop variable tc"
				t.Fatal(err)
			}
		})
	}
}

// Quiet: passed as an argument.
func (w *Worker) passed(ctx context.Context) {
	for _, o := range w.orders {
		go func(o Order) {
			_ = process(ctx, o.ID)
		}(o)
	}
}

// Quiet: copied at the top of the body.
func (w *Worker) copied(ctx context.Context) {
	for _, o := range w.orders {
		o := o
		go func() {
			_ = process(ctx, o.ID)
		}()
	}
}

// Quiet: the loop waits for the goroutine before moving on.
func (w *Worker) waited(ctx context.Context) {
	for _, o := range w.orders {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = process(ctx, o.ID)
		}()
		<-done
	}
}

// Quiet: the goroutine is started on the last iteration the loop runs.
func (w *Worker) first(ctx context.Context) {
	for _, o := range w.orders {
		go func() {
			_ = process(ctx, o.ID)
		}()
		break
	}
}

// Quiet: a func literal called in place runs within the iteration, and so do
// its defers.
func (w *Worker) inPlace(ctx context.Context) {
	for _, o := range w.orders {
		func() {
			defer func() { _ = process(ctx, o.ID) }()
		}()
	}
}

// Quiet: a subtest that is not parallel runs before t.Run returns.
func TestSequential(t *testing.T) {
	for _, tc := range []Order{{ID: 1}} {
		t.Run("case", func(t *testing.T) {
			_ = process(context.Background(), tc.ID)
		})
	}
}

// Quiet: a method value and plain arguments are evaluated by the go statement.
func (w *Worker) notClosures(ctx context.Context, items []*Worker) {
	for _, it := range items {
		go it.startAll(ctx)
		defer process(ctx, int64(len(it.orders)))
	}
}
