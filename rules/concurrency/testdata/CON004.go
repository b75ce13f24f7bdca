package cache

import (
	"context"
	"log"
	"sync"
	"time"
)

type item struct {
	value   string
	expires time.Time
}

type Cache struct {
	mu     sync.Mutex
	items  map[string]item
	events chan string
	quit   chan struct{}
	once   sync.Once
}

func (c *Cache) evictExpired() {}

// Positive: a literal started by a constructor.
func NewCache(ttl time.Duration) *Cache {
	c := &Cache{items: map[string]item{}}
	go func() { // want `goroutine loops forever: nothing returns, breaks or waits on ctx.Done\(\)`
		for {
			time.Sleep(ttl)
			c.evictExpired()
		}
	}()
	return c
}

// Positive: a method of the same package, reading a struct field's channel.
func (c *Cache) Start() {
	go c.consume() // want `goroutine running this function loops forever`
}

func (c *Cache) consume() {
	for {
		select {
		case ev := <-c.events:
			log.Println(ev)
		case <-time.After(time.Second):
			c.evictExpired()
		}
	}
}

// Positive: a helper function of the same file, started with arguments.
func StartWorkers(jobs chan func(), n int) {
	for i := 0; i < n; i++ {
		go worker(jobs) // want `goroutine running this function loops forever`
	}
}

func worker(jobs chan func()) {
	for {
		job := <-jobs
		job()
	}
}

// Positive: a goroutine started inside a closure; the break only leaves the select.
func (c *Cache) Watch(register func(func())) {
	register(func() {
		go func() { // want `goroutine loops forever`
			for {
				select {
				case ev := <-c.events:
					if ev == "" {
						break
					}
					log.Println(ev)
				}
			}
		}()
	})
}

// Positive: a continue never leaves; the return is in a nested literal.
func poll(fetch func() error, report func(func() error)) {
	go func() { // want `goroutine loops forever`
		for {
			if err := fetch(); err != nil {
				continue
			}
			report(func() error { return nil })
		}
	}()
}

// Quiet: ranging over a channel ends when it is closed.
func drain(events chan string) {
	go func() {
		for ev := range events {
			log.Println(ev)
		}
	}()
}

// Quiet: the select returns on ctx.Done().
func (c *Cache) Run(ctx context.Context, ttl time.Duration) {
	go func() {
		ticker := time.NewTicker(ttl)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				c.evictExpired()
			}
		}
	}()
}

// Quiet: a quit channel stops the loop (labelled break).
func (c *Cache) Loop() {
	go func() {
	loop:
		for {
			select {
			case <-c.quit:
				break loop
			case ev := <-c.events:
				log.Println(ev)
			}
		}
	}()
}

// Quiet: the loop returns on error.
func accept(next func() (string, error)) {
	go func() {
		for {
			v, err := next()
			if err != nil {
				return
			}
			log.Println(v)
		}
	}()
}

// Quiet: init runs once; a process-lifetime goroutine is intended.
func init() {
	go func() {
		for {
			time.Sleep(time.Minute)
			log.Println("alive")
		}
	}()
}

// Quiet: started once per Cache through sync.Once.
func (c *Cache) Lazy() {
	c.once.Do(func() {
		go func() {
			for {
				time.Sleep(time.Second)
				c.evictExpired()
			}
		}()
	})
}

// Quiet: the loop ends with log.Fatal.
func fatal(next func() error) {
	go func() {
		for {
			if err := next(); err != nil {
				log.Fatal(err)
			}
		}
	}()
}

// Quiet: a three-clause loop with a condition ends.
func bounded(n int) {
	go func() {
		for i := 0; i < n; i++ {
			log.Println(i)
		}
	}()
}

type arbiter struct {
	sync.Mutex
	started bool
	ticker  *time.Ticker
}

var meters arbiter

func (a *arbiter) tick() {
	for {
		<-a.ticker.C
		log.Println("tick")
	}
}

// Quiet: a package singleton started once under a flag.
func Register() {
	meters.Lock()
	defer meters.Unlock()
	if !meters.started {
		meters.started = true
		go meters.tick()
	}
}
