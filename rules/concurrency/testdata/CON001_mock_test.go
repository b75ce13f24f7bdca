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
