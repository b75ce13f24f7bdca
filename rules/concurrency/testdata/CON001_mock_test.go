package clock

import (
	"context"
	"testing"
	"time"
)

type Mock struct{ now time.Time }

func (m *Mock) WithDeadline(parent context.Context, d time.Time) (context.Context, context.CancelFunc) {
	return context.WithDeadline(parent, d)
}

// Quiet: a test of a package's own context helper (benbjohnson/clock's mock
// clock) lets the deadline cancel it; only context.With* itself is checked in
// tests, as vet does.
func TestMockDeadline(t *testing.T) {
	m := &Mock{}
	ctx, _ := m.WithDeadline(context.Background(), m.now.Add(time.Second))
	<-ctx.Done()
}

// Positive: context.WithTimeout itself, in a test.
func TestTimeout(t *testing.T) {
	ctx, _ := context.WithTimeout(context.Background(), time.Second) // want "the cancel function from context.WithTimeout is discarded"
	<-ctx.Done()
}

// Quiet: a deadline already past cancels the context inside the call (never
// registered with its parent, no timer): nothing leaks. From bazil.org/fuse
// fs/serve_test.go (WithDeadline at time.Unix(0, 0)) and
// cloud.google.com/go/spanner client_test.go (WithTimeout of -time.Second).
func TestExpired(t *testing.T) {
	ctx, _ := context.WithDeadline(context.Background(), time.Unix(0, 0))
	<-ctx.Done()
	expired, _ := context.WithTimeout(context.Background(), -time.Second)
	_ = expired.Err()
	zero, _ := context.WithTimeout(context.Background(), 0)
	_ = zero.Err()
	past, _ := context.WithDeadline(context.Background(), time.Now().Add(-time.Minute))
	_ = past.Err()
	epoch, _ := context.WithDeadline(context.Background(), time.Time{})
	_ = epoch.Err()
}

// Positive: a deadline in the future, however written.
func TestFuture(t *testing.T) {
	ctx, _ := context.WithDeadline(context.Background(), time.Now().Add(time.Minute)) // want "is discarded"
	<-ctx.Done()
	later, _ := context.WithTimeout(context.Background(), -1*-time.Second) // want "is discarded"
	_ = later.Err()
}
