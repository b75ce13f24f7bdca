package fanout

import (
	"context"
	"errors"
	"log"

	"golang.org/x/sync/errgroup"
)

type Item struct{ ID string }

func fetch(ctx context.Context, id string) (*Item, error) { return &Item{ID: id}, nil }

func store(item *Item) error { return nil }

// Positive: the group's error is dropped in a function that returns an error.
func FetchAll(ctx context.Context, ids []string) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		id := id
		g.Go(func() error {
			_, err := fetch(ctx, id)
			return err
		})
	}
	g.Wait() // want `error returned by g.Wait\(\) is dropped: the first failure of the group's goroutines is lost`
	return nil
}

// Positive: a function with results; the fix returns their zero values.
func Count(ctx context.Context, ids []string) (int, error) {
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		id := id
		g.Go(func() error {
			_, err := fetch(ctx, id)
			return err
		})
	}
	g.Wait() // want `error returned by g.Wait\(\) is dropped`
	return len(ids), nil
}

type Syncer struct {
	group *errgroup.Group
	done  chan struct{}
}

// Positive: a group held in a struct field, in a method without an error result (no fix).
func (s *Syncer) Stop() {
	close(s.done)
	s.group.Wait() // want `error returned by s.group.Wait\(\) is dropped`
}

// Positive: a helper that receives the group.
func waitAll(g *errgroup.Group) {
	g.Wait() // want `error returned by g.Wait\(\) is dropped`
}

// Positive: Wait in a goroutine that closes the results channel; nobody checks the error.
func Stream(ctx context.Context, ids []string) <-chan *Item {
	out := make(chan *Item)
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		id := id
		g.Go(func() error {
			item, err := fetch(ctx, id)
			if err != nil {
				return err
			}
			out <- item
			return nil
		})
	}
	go func() {
		g.Wait() // want `error returned by g.Wait\(\) is dropped`
		close(out)
	}()
	return out
}

// Positive: a nested group in a g.Go literal that returns an error (fixable).
func Nested(ctx context.Context, batches [][]string) error {
	outer, ctx := errgroup.WithContext(ctx)
	for _, batch := range batches {
		batch := batch
		outer.Go(func() error {
			var inner errgroup.Group // want `errgroup.Group inner runs goroutines on ctx`
			for _, id := range batch {
				id := id
				inner.Go(func() error {
					_, err := fetch(ctx, id)
					return err
				})
			}
			inner.Wait() // want `error returned by inner.Wait\(\) is dropped`
			return nil
		})
	}
	return outer.Wait()
}

// Quiet: the error is returned, checked, logged or assigned.
func Checked(ctx context.Context, ids []string) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		id := id
		g.Go(func() error {
			_, err := fetch(ctx, id)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	err := g.Wait()
	log.Println(err)
	return g.Wait()
}

// Quiet: `_ = g.Wait()` discards the error in plain sight (as ERR003 accepts `_ = f()`):
// the goroutines report their own failures.
func BestEffort(ctx context.Context, ids []string) {
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		id := id
		g.Go(func() error {
			if _, err := fetch(ctx, id); err != nil {
				log.Printf("fetch %s: %v", id, err)
			}
			return nil
		})
	}
	_ = g.Wait()
}

// Quiet: the goroutine's Wait only closes the channel; the caller's Wait on the same
// group returns the error.
func Pipeline(ctx context.Context, ids []string) ([]*Item, error) {
	out := make(chan *Item)
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		id := id
		g.Go(func() error {
			item, err := fetch(ctx, id)
			if err != nil {
				return err
			}
			out <- item
			return nil
		})
	}
	go func() {
		g.Wait()
		close(out)
	}()
	var items []*Item
	for item := range out {
		items = append(items, item)
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return items, nil
}

type waiter struct{}

func (waiter) Wait() {}

// Quiet: a Wait that is not errgroup's.
func OtherWait(w waiter) {
	w.Wait()
}

// Positive (info): a plain group whose goroutines all use the caller's ctx and can fail.
func SaveAll(ctx context.Context, ids []string) error {
	var g errgroup.Group // want `errgroup.Group g runs goroutines on ctx: errgroup.WithContext\(ctx\) would cancel the others when one fails`
	for _, id := range ids {
		id := id
		g.Go(func() error {
			item, err := fetch(ctx, id)
			if err != nil {
				return err
			}
			return store(item)
		})
	}
	return g.Wait()
}

// Positive (info): new(errgroup.Group), two goroutines.
func Pair(ctx context.Context, a, b string) error {
	g := new(errgroup.Group) // want `errgroup.Group g runs goroutines on ctx`
	g.Go(func() error {
		_, err := fetch(ctx, a)
		return err
	})
	g.Go(func() error {
		_, err := fetch(ctx, b)
		return err
	})
	return g.Wait()
}

// Quiet: one goroutine does not use ctx: cancelling would not stop it.
func Mixed(ctx context.Context, a string) error {
	var g errgroup.Group
	g.Go(func() error {
		_, err := fetch(ctx, a)
		return err
	})
	g.Go(func() error {
		return store(&Item{ID: a})
	})
	return g.Wait()
}

// Quiet: no goroutine can fail: nothing would cancel the others.
func NeverFails(ctx context.Context, ids []string) error {
	var g errgroup.Group
	for _, id := range ids {
		id := id
		g.Go(func() error {
			if _, err := fetch(ctx, id); err != nil {
				log.Printf("fetch %s: %v", id, err)
			}
			return nil
		})
	}
	return g.Wait()
}

// Quiet: the group comes from WithContext already.
func Derived(ctx context.Context, ids []string) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		id := id
		g.Go(func() error {
			_, err := fetch(gctx, id)
			return err
		})
	}
	return g.Wait()
}

// Quiet: the goroutine is a method value: what it uses is unknown here.
func (s *Syncer) Run(ctx context.Context) error {
	var g errgroup.Group
	g.Go(s.loop)
	return g.Wait()
}

func (s *Syncer) loop() error { return errors.New("stopped") }

// Quiet: no context in scope.
func NoContext(ids []string) error {
	var g errgroup.Group
	for _, id := range ids {
		id := id
		g.Go(func() error {
			return store(&Item{ID: id})
		})
	}
	return g.Wait()
}

// Quiet: every goroutine returns nil, so Wait has no error to give (errgroup's own tests).
func Notify(ctx context.Context, ids []string, ch chan string) {
	g := &errgroup.Group{}
	g.SetLimit(4)
	send := func() error {
		ch <- "tick"
		return nil
	}
	for _, id := range ids {
		id := id
		g.Go(func() error {
			ch <- id
			return nil
		})
		g.TryGo(send)
	}
	g.Wait()
}

// Positive: a func value that can fail.
func Notify2(ch chan string) {
	g := &errgroup.Group{}
	send := func() error {
		if len(ch) == cap(ch) {
			return errors.New("full")
		}
		ch <- "tick"
		return nil
	}
	g.Go(send)
	g.Wait() // want `error returned by g.Wait\(\) is dropped`
}
