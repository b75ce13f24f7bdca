package fetch

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

type User struct{ ID string }

type Report struct {
	byID   map[string]*User
	total  int
	failed []string
}

func fetch(id string) *User { return &User{ID: id} }

var hits = map[string]int{}

// Positive: a local map written by goroutines started in a loop.
func ByID(ids []string) map[string]*User {
	byID := make(map[string]*User)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			byID[id] = fetch(id) // want `goroutines started in this loop write map byID without a lock \(concurrent map writes\)`
		}(id)
	}
	wg.Wait()
	return byID
}

// Positive: struct fields: a map, a counter and an append, through errgroup.
func (r *Report) Collect(ctx context.Context, ids []string) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		id := id
		g.Go(func() error {
			u := fetch(id)
			if u == nil {
				r.failed = append(r.failed, id) // want `goroutines started in this loop append to r.failed without a lock \(data race\)`
				return nil
			}
			r.byID[id] = u // want `goroutines started in this loop write map r.byID`
			r.total++      // want `goroutines started in this loop update r.total without a lock`
			return nil
		})
	}
	return g.Wait()
}

// Positive: two goroutines of a method write the same package map.
func (r *Report) Count(a, b string) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		hits[a]++ // want `several goroutines write map hits without a lock`
	}()
	go func() {
		defer wg.Done()
		delete(hits, b) // want `several goroutines write map hits without a lock`
	}()
	wg.Wait()
}

// Positive: a closure; the counter is updated with +=.
func sizes(ids []string) func() int {
	return func() int {
		n := 0
		var wg sync.WaitGroup
		for _, id := range ids {
			wg.Add(1)
			go func(id string) {
				defer wg.Done()
				n += len(id) // want `goroutines started in this loop update n without a lock`
			}(id)
		}
		wg.Wait()
		return n
	}
}

// Quiet: a mutex guards the map.
func Locked(ids []string) map[string]*User {
	byID := make(map[string]*User)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			u := fetch(id)
			mu.Lock()
			byID[id] = u
			mu.Unlock()
		}(id)
	}
	wg.Wait()
	return byID
}

// Quiet: distinct slice elements.
func Slots(ids []string) []*User {
	out := make([]*User, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func(i int, id string) {
			defer wg.Done()
			out[i] = fetch(id)
		}(i, id)
	}
	wg.Wait()
	return out
}

// Quiet: each iteration's map belongs to its own goroutine.
func PerItem(ids []string, out chan<- map[string]int) {
	for _, id := range ids {
		m := map[string]int{}
		go func(id string) {
			m[id]++
			out <- m
		}(id)
	}
}

// Quiet: the loop waits for each goroutine before starting the next.
func Sequential(ids []string) map[string]*User {
	byID := make(map[string]*User)
	for _, id := range ids {
		done := make(chan struct{})
		go func(id string) {
			byID[id] = fetch(id)
			close(done)
		}(id)
		<-done
	}
	return byID
}

// Quiet: a single goroutine writes, the caller waits.
func Single(id string) map[string]*User {
	byID := make(map[string]*User)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		byID[id] = fetch(id)
	}()
	wg.Wait()
	return byID
}
