package cache

import (
	"errors"
	"sync"
)

var ErrNotFound = errors.New("not found")

type Cache struct {
	mu    sync.RWMutex
	items map[string]string
}

type Counter struct {
	sync.Mutex
	n map[string]int
}

// Positive: an early return through a struct field's mutex.
func (c *Cache) Get(key string) (string, error) {
	c.mu.Lock() // want `c.mu.Lock\(\) is still held when this function returns \(no c.mu.Unlock\(\)\)`
	v, ok := c.items[key]
	if !ok {
		return "", ErrNotFound
	}
	c.mu.Unlock()
	return v, nil
}

// Positive: a read lock and an embedded mutex in a method.
func (c *Counter) Inc(key string) bool {
	c.Lock() // want `c.Lock\(\) is still held when this function returns`
	if key == "" {
		return false
	}
	c.n[key]++
	c.Unlock()
	return true
}

// Positive: a local mutex in a closure; continue keeps the lock.
func process(keys []string) func() int {
	return func() int {
		var mu sync.Mutex
		n := 0
		for _, k := range keys {
			mu.Lock() // want `mu.Lock\(\) is still held when this function continues the loop`
			if k == "" {
				continue
			}
			n++
			mu.Unlock()
		}
		return n
	}
}

// Positive: a panic with the read lock held.
func (c *Cache) MustGet(key string) string {
	c.mu.RLock() // want `c.mu.RLock\(\) is still held when this function panics \(no c.mu.RUnlock\(\)\)`
	v, ok := c.items[key]
	if !ok {
		panic("missing " + key)
	}
	c.mu.RUnlock()
	return v
}

// Positive: a mutex parameter of a helper; break leaves the loop locked.
func drain(mu *sync.Mutex, queue []string) {
	for _, q := range queue {
		mu.Lock() // want `mu.Lock\(\) is still held when this function breaks out of the loop`
		if q == "stop" {
			break
		}
		mu.Unlock()
	}
}

// Quiet: defer right after the lock.
func (c *Cache) Put(key, v string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if key == "" {
		return ErrNotFound
	}
	c.items[key] = v
	return nil
}

// Quiet: the early return unlocks first.
func (c *Cache) Has(key string) bool {
	c.mu.RLock()
	if _, ok := c.items[key]; !ok {
		c.mu.RUnlock()
		return false
	}
	c.mu.RUnlock()
	return true
}

// Quiet: a lock helper that never unlocks.
func (c *Cache) lock() {
	c.mu.Lock()
}

// Quiet: break out of the loop, then unlock after it.
func (c *Counter) First(keys []string) string {
	found := ""
	for _, k := range keys {
		c.Lock()
		if c.n[k] > 0 {
			found = k
			break
		}
		c.Unlock()
	}
	if found != "" {
		c.Unlock()
	}
	return found
}

// Quiet: the continue unlocks before it.
func (c *Counter) Count(keys []string) {
	for _, k := range keys {
		c.Lock()
		if k == "" {
			c.Unlock()
			continue
		}
		c.n[k]++
		c.Unlock()
	}
}

// Quiet: called with the lock held; it releases it for a while and returns locked.
func (c *Cache) flushLocked(send func(map[string]string) bool) bool {
	items := c.items
	c.mu.Unlock()
	ok := send(items)
	c.mu.Lock()
	if !ok {
		return false
	}
	c.items = map[string]string{}
	return true
}

// Positive: a second region of the same mutex returns early.
func (c *Cache) Swap(key, v string) (string, error) {
	c.mu.RLock()
	old := c.items[key]
	c.mu.RUnlock()
	c.mu.Lock() // want `c.mu.Lock\(\) is still held when this function returns`
	if old == v {
		return old, nil
	}
	c.items[key] = v
	c.mu.Unlock()
	return old, nil
}

// Quiet: the loop unlocks at its head before locking again.
func (c *Counter) Retry(keys []string) {
	c.Lock()
	for i := 0; i < len(keys); i++ {
		c.Unlock()
		c.Lock()
		if keys[i] == "" {
			continue
		}
	}
	c.Unlock()
}

// Quiet: the lock is handed to the caller.
func (c *Counter) acquire(key string) (int, *sync.Mutex) {
	c.Lock()
	if n, ok := c.n[key]; ok {
		return n, &c.Mutex
	}
	c.Unlock()
	return 0, nil
}

// Quiet: run unlocks c.mu for its caller.
func (c *Cache) Load(key string) string {
	c.mu.Lock()
	if v, ok := c.items[key]; ok {
		c.mu.Unlock()
		return v
	}
	return c.run(key)
}

func (c *Cache) run(key string) string {
	c.mu.Unlock()
	return key
}

// Quiet: re-locked under the deferred unlock.
func (c *Cache) Update(key string, check func(string) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.items[key]
	c.mu.Unlock()
	err := check(v)
	c.mu.Lock()
	if err != nil {
		return err
	}
	c.items[key] = v
	return nil
}
