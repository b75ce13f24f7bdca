package users

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
	"time"
)

type User struct{ ID string }

type Cache struct {
	mu     sync.Mutex
	db     *sql.DB
	client *http.Client
	users  map[string]*User
	events chan string
}

type Registry struct {
	sync.RWMutex
	subs []chan string
}

// Positive: a query under a deferred unlock, through struct fields.
func (c *Cache) Get(ctx context.Context, id string) (*User, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if u, ok := c.users[id]; ok {
		return u, nil
	}
	row := c.db.QueryRowContext(ctx, "SELECT id FROM users WHERE id = $1", id) // want `c.db.QueryRowContext while c.mu is locked \(blocking under a lock\)`
	u := &User{}
	if err := row.Scan(&u.ID); err != nil {
		return nil, err
	}
	c.users[id] = u
	return u, nil
}

// Positive: an HTTP request and a sleep between Lock and Unlock.
func (c *Cache) Refresh(url string) error {
	c.mu.Lock()
	resp, err := c.client.Get(url) // want `c.client.Get while c.mu is locked`
	if err != nil {
		c.mu.Unlock()
		return err
	}
	resp.Body.Close()
	time.Sleep(time.Second) // want `time.Sleep while c.mu is locked`
	c.mu.Unlock()
	return nil
}

// Positive: a send on an unbuffered channel under a read lock of an embedded RWMutex.
func (r *Registry) Publish(msg string) string {
	r.RLock()
	reply := make(chan string)
	r.subs[0] <- msg
	reply <- msg // want `send on unbuffered reply while r is locked`
	r.RUnlock()
	return <-reply
}

// Quiet: sends on buffered channels (notifications with room by design).
func (r *Registry) Notify(msg string) {
	r.RLock()
	defer r.RUnlock()
	done := make(chan string, 1)
	for _, ch := range r.subs {
		ch <- msg
	}
	done <- msg
}

// Positive: a receive and a select without default, in a closure.
func (c *Cache) Waiter(ctx context.Context) func() string {
	return func() string {
		c.mu.Lock()
		defer c.mu.Unlock()
		ev := <-c.events // want `receive from c.events while c.mu is locked`
		select {         // want `select while c.mu is locked`
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
		return ev
	}
}

// Positive: a helper's mutex parameter, the query after a branch that returns.
func store(ctx context.Context, mu *sync.Mutex, db *sql.DB, u *User) error {
	mu.Lock()
	if u == nil {
		mu.Unlock()
		return nil
	}
	_, err := db.ExecContext(ctx, "INSERT INTO users VALUES ($1)", u.ID) // want `db.ExecContext while mu is locked`
	mu.Unlock()
	return err
}

// Quiet: the query runs after the unlock.
func (c *Cache) Load(ctx context.Context, id string) (*User, error) {
	c.mu.Lock()
	u, ok := c.users[id]
	c.mu.Unlock()
	if ok {
		return u, nil
	}
	u = &User{}
	err := c.db.QueryRowContext(ctx, "SELECT id FROM users WHERE id = $1", id).Scan(&u.ID)
	return u, err
}

// Quiet: a non-blocking send (select with default).
func (r *Registry) TryPublish(msg string) {
	r.RLock()
	defer r.RUnlock()
	for _, ch := range r.subs {
		select {
		case ch <- msg:
		default:
		}
	}
}

// Quiet: the goroutine does not hold the lock.
func (c *Cache) Prefetch(ctx context.Context, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	go func() {
		c.db.QueryRowContext(ctx, "SELECT 1")
	}()
	c.users[id] = nil
}

// Quiet: both branches unlock before the request.
func (c *Cache) Branches(url string, fresh bool) {
	c.mu.Lock()
	if fresh {
		c.mu.Unlock()
	} else {
		delete(c.users, url)
		c.mu.Unlock()
	}
	resp, err := c.client.Get(url)
	if err == nil {
		resp.Body.Close()
	}
}

// Quiet: draining a channel closed just before; an empty select.
func (c *Cache) Close(fail bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(c.events)
	for ev := range c.events {
		delete(c.users, ev)
	}
	if fail {
		go panic("closing twice")
		select {}
	}
}
