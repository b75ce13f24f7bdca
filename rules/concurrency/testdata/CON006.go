package resolver

import (
	"context"
	"database/sql"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

type Request struct {
	IDs   []string
	Attrs map[string]string
}

type Service struct {
	db      *sql.DB
	workers int
	group   *errgroup.Group
}

func (s *Service) resolve(ctx context.Context, id string) error { return nil }

// Positive: a goroutine per element of a slice parameter.
func (s *Service) Resolve(ctx context.Context, ids []string) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id string) { // want `starts a goroutine per element of ids with no limit`
			defer wg.Done()
			s.resolve(ctx, id)
		}(id)
	}
	wg.Wait()
}

// Positive: a field of a request parameter, errgroup without SetLimit.
func (s *Service) ResolveRequest(ctx context.Context, req *Request) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range req.IDs {
		id := id
		g.Go(func() error { return s.resolve(ctx, id) }) // want `starts a goroutine per element of req.IDs`
	}
	return g.Wait()
}

// Positive: one goroutine per row of a query.
func (s *Service) ResolveAll(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM pending")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		go s.resolve(ctx, id) // want `starts a goroutine per element of rows \(query results\)`
	}
	return rows.Err()
}

// Positive: a map parameter, inside a closure, nested loop.
func (s *Service) Handler(attrs map[string]string) func(ctx context.Context) {
	return func(ctx context.Context) {
		for key := range attrs {
			for i := 0; i < 2; i++ {
				go s.resolve(ctx, key) // want `starts a goroutine per element of attrs`
			}
		}
	}
}

type Subscription interface {
	Messages() <-chan string
}

// Positive: messages from a subscription.
func (s *Service) Consume(ctx context.Context, sub Subscription) {
	for m := range sub.Messages() {
		go s.resolve(ctx, m) // want `starts a goroutine per element of sub.Messages\(\)`
	}
}

// Quiet: a channel parameter (connections handed to a server loop).
func (s *Service) Serve(ctx context.Context, conns <-chan string) {
	for c := range conns {
		go s.resolve(ctx, c)
	}
}

// Quiet: a semaphore channel bounds the goroutines.
func (s *Service) Bounded(ctx context.Context, ids []string) {
	sem := make(chan struct{}, 8)
	for _, id := range ids {
		sem <- struct{}{}
		go func(id string) {
			defer func() { <-sem }()
			s.resolve(ctx, id)
		}(id)
	}
}

// Quiet: errgroup with SetLimit.
func (s *Service) Limited(ctx context.Context, ids []string) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(16)
	for _, id := range ids {
		id := id
		g.Go(func() error { return s.resolve(ctx, id) })
	}
	return g.Wait()
}

// Quiet: a weighted semaphore.
func (s *Service) Weighted(ctx context.Context, ids []string) error {
	sem := semaphore.NewWeighted(4)
	for _, id := range ids {
		if err := sem.Acquire(ctx, 1); err != nil {
			return err
		}
		go func(id string) {
			defer sem.Release(1)
			s.resolve(ctx, id)
		}(id)
	}
	return nil
}

// Quiet: a fixed pool of workers reading a channel.
func (s *Service) Pool(ctx context.Context, ids []string) {
	jobs := make(chan string)
	for i := 0; i < runtime.NumCPU(); i++ {
		go func() {
			for id := range jobs {
				s.resolve(ctx, id)
			}
		}()
	}
	for _, id := range ids {
		jobs <- id
	}
	close(jobs)
}

// Quiet: a count parameter sizes a worker pool.
func (s *Service) Workers(ctx context.Context, n int, jobs chan string) {
	for i := 0; i < n; i++ {
		go func() {
			for id := range jobs {
				s.resolve(ctx, id)
			}
		}()
	}
}

// Quiet: the group comes from the struct; its limit is set elsewhere.
func (s *Service) Shared(ctx context.Context, ids []string) {
	for _, id := range ids {
		id := id
		s.group.Go(func() error { return s.resolve(ctx, id) })
	}
}

// Quiet: a local, fixed list.
func (s *Service) Fixed(ctx context.Context) {
	for _, id := range []string{"a", "b", "c"} {
		go s.resolve(ctx, id)
	}
}

// Quiet: the goroutine is started once and the loop returns.
func (s *Service) First(ctx context.Context, ids []string) {
	for _, id := range ids {
		if id != "" {
			go s.resolve(ctx, id)
			return
		}
	}
}

// Quiet: the function each goroutine runs takes a slot of a package-level
// semaphore around its I/O (x/tools go/packages parseFiles/parseFile and
// ioLimit): the work is bounded. From golang.org/x/tools/go/packages/packages.go.
var ioLimit = make(chan bool, 20)

func (s *Service) readOne(ctx context.Context, name string) error {
	ioLimit <- true
	defer func() { <-ioLimit }()
	return s.resolve(ctx, name)
}

func (s *Service) ReadAll(ctx context.Context, names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			_ = s.readOne(ctx, name)
		}(name)
	}
	wg.Wait()
}

// Positive: the helper the goroutine calls waits on a WaitGroup, which is no limit.
func (s *Service) fanOut(ctx context.Context, id string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = s.resolve(ctx, id) }()
	wg.Wait()
}

func (s *Service) FanOutAll(ctx context.Context, ids []string) {
	for _, id := range ids {
		go s.fanOut(ctx, id) // want `starts a goroutine per element of ids`
	}
}
