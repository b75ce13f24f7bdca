package worker

import (
	"context"
	"sync"

	syncpkg "sync"
)

type Pool struct {
	wg   sync.WaitGroup
	jobs chan func()
}

type tracker struct {
	syncpkg.WaitGroup
	name string
}

func handle(ctx context.Context, id int) {}

// Positive: a local wait group, the SA2000 shape.
func local(ctx context.Context, ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		go func(id int) {
			wg.Add(1) // want `wg.Add\(1\) runs inside the goroutine it counts; wg.Wait may return before it`
			defer wg.Done()
			handle(ctx, id)
		}(id)
	}
	wg.Wait()
}

// Positive: a struct field, with a comment that moves along.
func (p *Pool) Start(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		go func() {
			p.wg.Add(1) // one per worker // want `p.wg.Add\(1\) runs inside the goroutine it counts`
			defer p.wg.Done()
			for job := range p.jobs {
				job()
			}
		}()
	}
}

// Positive: a pointer parameter of a helper (aliased import), Add after other work.
func spawn(ctx context.Context, wg *syncpkg.WaitGroup, id int) {
	go func() {
		handle(ctx, id)
		wg.Add(1) // want `wg.Add\(1\) runs inside the goroutine it counts`
		defer wg.Done()
		handle(ctx, id+1)
	}()
}

// Positive: a struct embedding the wait group; Done in a deferred closure.
func (t *tracker) run(ctx context.Context) {
	go func() {
		t.Add(1) // want `t.Add\(1\) runs inside the goroutine it counts`
		defer func() {
			t.Done()
		}()
		handle(ctx, len(t.name))
	}()
	t.Wait()
}

// Quiet: Add before the go statement.
func correct(ctx context.Context, ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			handle(ctx, id)
		}(id)
	}
	wg.Wait()
}

// Quiet: the goroutine adds for the goroutines it starts itself, inside its loop.
func (p *Pool) dispatch(ctx context.Context, inner *sync.WaitGroup) {
	go func() {
		for job := range p.jobs {
			inner.Add(1)
			go func(job func()) {
				defer inner.Done()
				job()
			}(job)
		}
		inner.Wait()
	}()
}

type counter struct{ n int }

func (c *counter) Add(d int) { c.n += d }

// Quiet: Add of something that is not a wait group (no Done on it).
func metrics(ctx context.Context, c *counter, done chan<- struct{}) {
	go func() {
		handle(ctx, 1)
		c.Add(1)
		close(done)
	}()
}

// Quiet: a goroutine that is not a func literal cannot be looked into.
func named(ctx context.Context, wg *sync.WaitGroup) {
	wg.Add(1)
	go worker(ctx, wg)
	wg.Wait()
}

func worker(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	handle(ctx, 0)
}

// Positive without a fix: the goroutine may return before its Add, so moving
// the Add out would leave the count one too high.
func guarded(ctx context.Context, wg *sync.WaitGroup, ok bool) {
	go func() {
		if !ok {
			return
		}
		wg.Add(1) // want `wg.Add\(1\) runs inside the goroutine it counts`
		defer wg.Done()
		handle(ctx, 2)
	}()
	wg.Wait()
}

// Positive without a fix: the Add refers to the goroutine's own parameter.
func params(ctx context.Context, groups []*sync.WaitGroup) {
	for _, g := range groups {
		go func(g *sync.WaitGroup) { g.Add(1); defer g.Done(); handle(ctx, 3) }(g) // want `g.Add\(1\) runs inside the goroutine it counts`
	}
}

type Clock struct{ now int }

func (c *Clock) Add(d int) { c.now += d }

// Quiet: the first statement is Add of a mock clock, not of a wait group
// (benbjohnson/clock's tests advance a mock clock this way).
func advance(c *Clock, done chan<- bool) {
	go func() {
		c.Add(1)
		done <- true
	}()
}

// Quiet: the goroutine is counted before it starts, so the Add it makes for a
// goroutine of its own runs before its Done (the shape of net/http's tests).
func nested(ctx context.Context, conns []int) {
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			handle(ctx, c)
			wg.Add(1)
			go func() {
				defer wg.Done()
				handle(ctx, c+1)
			}()
		}(c)
	}
	wg.Wait()
}
