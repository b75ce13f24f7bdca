//go:build go1.21

package watcher

import (
	"context"
	"log"
	"time"

	tm "time"
)

type Watcher struct {
	interval time.Duration
	ticker   *time.Ticker
}

func (w *Watcher) check() {}

// Positive: a ticker in a method, returned on cancellation.
func (w *Watcher) Poll(ctx context.Context) error {
	ticker := time.NewTicker(w.interval) // want `the ticker from time.NewTicker is never stopped \(leaks until Go 1.23\)`
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			w.check()
		}
	}
}

// Positive: a timer abandoned by a select, through an aliased import.
func wait(ctx context.Context, d time.Duration) error {
	var timer = tm.NewTimer(d) // want `the timer from time.NewTimer is never stopped`
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// Positive: a discarded ticker; time.Tick in a closure that returns.
func (w *Watcher) Start(ctx context.Context) func() {
	time.NewTicker(time.Second) // want `the ticker from time.NewTicker is discarded and never stopped`
	return func() {
		tick := time.Tick(w.interval) // want `time.Tick leaks its ticker: nothing can stop it`
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick:
				w.check()
			}
		}
	}
}

// Positive: a helper creating a ticker per call.
func heartbeat(ctx context.Context, beat func()) {
	t := time.NewTicker(time.Second) // want `the ticker from time.NewTicker is never stopped`
	for i := 0; i < 3; i++ {
		<-t.C
		beat()
	}
}

// Quiet: deferred Stop.
func (w *Watcher) Run(ctx context.Context) {
	ticker := time.NewTicker(w.interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			w.check()
		}
	}
}

// Quiet: stored in a field, its owner stops it.
func (w *Watcher) Init() {
	w.ticker = time.NewTicker(w.interval)
}

// Quiet: returned to the caller.
func newTicker(d time.Duration) *time.Ticker {
	t := time.NewTicker(d)
	return t
}

// Quiet: a timer that is always waited out.
func sleep(d time.Duration) {
	t := time.NewTimer(d)
	<-t.C
}

// Quiet: time.Tick in a function that loops forever.
func (w *Watcher) forever() {
	for range time.Tick(w.interval) {
		w.check()
	}
}

// Quiet: time.Tick in init.
func init() {
	go func() {
		for range time.Tick(time.Minute) {
			log.Println("alive")
		}
	}()
}

// Quiet: the function never returns after creating the ticker.
func (w *Watcher) watch() {
	ticker := time.NewTicker(time.Second)
	for {
		<-ticker.C
		w.check()
	}
}

type clock struct{}

// Quiet: a wrapper with time.Tick's own contract.
func (c *clock) Tick(d time.Duration) <-chan time.Time { return time.Tick(d) }
