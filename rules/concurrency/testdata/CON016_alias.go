package worker

import (
	"context"
	"errors"

	eg "golang.org/x/sync/errgroup"
)

type Pool struct {
	tasks *eg.Group
}

func run(ctx context.Context, n int) error { return nil }

func save() error { return errors.New("disk full") }

// Positive: aliased import, a group built with a composite literal.
func Start(ctx context.Context, n int) {
	g := &eg.Group{} // want `errgroup.Group g runs goroutines on ctx`
	for i := 0; i < n; i++ {
		i := i
		g.Go(func() error { return run(ctx, i) })
	}
	defer g.Wait() // want `error returned by g.Wait\(\) is dropped`
}

// Positive: a field of the receiver, in parentheses.
func (p *Pool) Drain() error {
	(p.tasks.Wait()) // want `error returned by p.tasks.Wait\(\) is dropped`
	return nil
}

// Positive: Wait started as a goroutine.
func (p *Pool) Background() {
	go p.tasks.Wait() // want `error returned by p.tasks.Wait\(\) is dropped`
}

// Quiet for CON016 (ERR003 reports it): not errgroup's.
func Other() {
	save()
}

// Quiet: returned.
func (p *Pool) Close() error {
	return p.tasks.Wait()
}
